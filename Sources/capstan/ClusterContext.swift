import CapstanBasics
import CapstanCluster
import CapstanInventory
import Foundation

/// What the cluster verbs read from the inventory before a run, without contacting a host: the
/// nodes and their roles (for prompts and the summary) and the cluster's state folder.
struct ClusterContext {
    /// The nodes, when the inventory could be read (else the run reports the inventory's error).
    var members: ClusterMembers?
    /// Where the cluster's state lives.
    var state: ClusterState
    var workingDirectory = FileManager.default.currentDirectoryPath

    /// Reads the inventory `sources`; `extraVars` (`-e`) win over its variables.
    static func load(
        sources: [String], extraVars: [String: Value] = [:], limit: String? = nil
    ) -> ClusterContext {
        var warnings: [Warning] = []
        let inventory = try? Inventory.load(sources: sources, warnings: &warnings)
        let members = inventory.flatMap { try? ClusterMembers($0, limit: limit) }
        var variables: [String: Value] = [:]
        if let inventory {
            let host =
                (try? ClusterMembers(inventory))?.nodes.first.map { Host(name: $0.name) } ?? inventory.hosts.first
            let found = host.map { inventory.variables(for: $0) } ?? inventory.variables(forGroup: "all")
            for (key, value) in found { variables[key] = value }
        }
        let cwd = FileManager.default.currentDirectoryPath
        let state = ClusterState.locate(
            sources: sources, variables: variables, extraVars: extraVars,
            workingDirectory: cwd)
        return ClusterContext(members: members, state: state, workingDirectory: cwd)
    }

    /// The state folder this run uses. State that earlier versions left under the current directory
    /// is never silently replaced: with none beside the inventory yet, the old folder is used (no new
    /// secrets are made) and a warning names both folders; otherwise a warning says it is ignored.
    func stateFolder(warnings: inout [Warning]) -> String {
        guard !state.named, let old = state.leftBehind(in: workingDirectory) else { return state.directory }
        if state.exists {
            warnings.append(
                Warning(
                    "cluster state found in \(old) (under the current directory, where Capstan used to keep it) is "
                        + "ignored: this cluster's state is in \(state.directory)"))
            return state.directory
        }
        warnings.append(
            Warning(
                "cluster state found in \(old) (under the current directory, where Capstan used to keep it) and none "
                    + "in \(state.directory) beside the inventory: this run uses \(old), so no new secrets are "
                    + "made; move it beside the inventory with: mv \(old) \(state.directory)"))
        return old
    }

    /// The nodes of `--limit`, or every node, as one line for a confirmation prompt.
    var nodeList: String {
        guard let members, !members.nodes.isEmpty else { return "no cluster node" }
        return members.nodes.map(\.name).joined(separator: ", ")
    }

    /// What `cluster up` prints after the recap: nodes and roles, the API endpoint, admin.conf,
    /// the total time and the next commands to run.
    func summary(state: String, elapsed: Duration, sources: [String]) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let time =
            seconds >= 60
            ? String(format: "%d min %02d s", Int(seconds) / 60, Int(seconds) % 60) : String(format: "%.1f s", seconds)
        let nodes = members?.nodes ?? []
        let width = nodes.map(\.name.count).max() ?? 0
        var out =
            "\nCLUSTER \(self.state.clusterName) is up (\(nodes.count) node\(nodes.count == 1 ? "" : "s"), \(time)):\n"
        for node in nodes {
            let name = node.name.padding(toLength: width, withPad: " ", startingAt: 0)
            out += "  \(name)  \(node.roles.joined(separator: ", ")) (\(node.address))\n"
        }
        if let api = members?.apiEndpoint { out += "API server:  \(api)\n" }
        let adminConf = state + "/admin.conf"
        out += "admin.conf:  \(adminConf)\n"
        let inventory = sources.map { "-i " + $0 }.joined(separator: " ")
        out += "Next:        kubectl --kubeconfig \(adminConf) get nodes\n"
        out += "             capstan ml up \(inventory)   (the ML layer)\n"
        return out
    }
}
