import ArgumentParser
import CapstanBasics
import CapstanExecution
import Foundation

/// `capstan cluster up|plan|reset|add-node|remove-node|upgrade`: the cluster lifecycle, as the
/// shipped playbooks (`playbooks/cluster.yml`, ...) run through the same path as `capstan play`.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Bootstrap, grow, shrink, upgrade and reset a kubeadm cluster from an inventory.",
        discussion: """
            Each verb runs a playbook of the playbooks folder (--playbooks-dir, else the nearest \
            playbooks/ above the current directory, else the one shipped with capstan) with \
            -e capstan_artifacts_dir=<state folder>: the cluster's state (admin.conf and the generated \
            secrets, mode 0600) lives beside the inventory in <inventory dir>/artifacts/<cluster_name>, \
            or in <capstan_state_dir>/<cluster_name> when the inventory (group_vars) or -e sets \
            capstan_state_dir, never in the current directory. reset, remove-node and upgrade ask for \
            confirmation on a terminal; without a terminal they need --yes.

            \(ExitStatus.table)
            """,
        subcommands: [Up.self, Plan.self, Reset.self, AddNode.self, RemoveNode.self, Upgrade.self])

    /// `cluster up`: preflight, node preparation, runtime, packages, init, CNI, joins.
    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build the cluster, or bring it back in line (playbooks/cluster.yml; idempotent).")
        @OptionGroup var options: ClusterOptions

        func run() async throws { try await ClusterRunner.run("cluster.yml", options: options, ending: .summary) }
    }

    /// `cluster plan`: `cluster up` in check and diff mode, shown as what it would change per host.
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show, per host, what cluster up would change (check and diff mode; nothing is changed).",
            discussion: """
                Runs playbooks/cluster.yml with --check --diff and prints, for each host, the tasks that \
                would change it (commands that would run are marked) with their diffs; a host with \
                nothing listed is as cluster up would leave it. Tasks that only read (versions, stat, \
                queries) run in check mode too; nothing is written on any node.
                """)
        @OptionGroup var options: ClusterOptions

        func run() async throws { try await ClusterRunner.run("cluster.yml", options: options, ending: .plan) }
    }

    /// `cluster reset`: every node back to a node without Kubernetes.
    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tear the cluster down on every node (playbooks/reset.yml).")
        @OptionGroup var options: ClusterOptions

        @Flag(help: "Also purge the Kubernetes packages and the container runtime.")
        var purge = false

        func run() async throws {
            let nodes = ClusterContext.load(sources: options.inventory.sources, limit: options.inventory.limit).nodeList
            try Confirmation.require(
                "Reset Kubernetes on \(nodes) (inventory \(options.inventory.sources.joined(separator: ", ")))",
                yes: options.yes || options.check)
            try await ClusterRunner.run(
                "reset.yml", options: options, variables: purge ? ["purge": .bool(true)] : [:])
        }
    }

    /// `cluster add-node NAME...`: prepares and joins only the named nodes.
    struct AddNode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-node",
            abstract: "Prepare and join new nodes (playbooks/add-node.yml, limited to NAME...).",
            discussion: "Without names, the hosts of the inventory's new-nodes group are added.")
        @OptionGroup var options: ClusterOptions

        @Argument(help: "Inventory names of the nodes to add.")
        var names: [String] = []

        func validate() throws {
            if !names.isEmpty && options.inventory.limit != nil {
                throw ValidationError(
                    "add-node takes the nodes as NAME arguments; --limit cannot be combined with them")
            }
        }

        func run() async throws {
            try await ClusterRunner.run(
                "add-node.yml", options: options, limit: names.isEmpty ? nil : names.joined(separator: ","))
        }
    }

    /// `cluster remove-node NAME...`: drain, delete and reset each node, one after the other.
    struct RemoveNode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove-node",
            abstract: "Drain, delete and reset nodes, one at a time (playbooks/remove-node.yml -e node=NAME).")
        @OptionGroup var options: ClusterOptions

        @Flag(help: "Delete the node even when it cannot be drained or reached (a dead node).")
        var allowUngraceful = false

        @Argument(help: "Inventory names of the nodes to remove.")
        var names: [String]

        func validate() throws {
            if names.isEmpty { throw ValidationError("name at least one node to remove") }
        }

        func run() async throws {
            try Confirmation.require(
                "Remove \(names.joined(separator: ", ")) from the cluster (drain, delete, reset)",
                yes: options.yes || options.check)
            for name in names {
                var variables: [String: Value] = ["node": .string(name)]
                if allowUngraceful { variables["allow_ungraceful"] = .bool(true) }
                try await ClusterRunner.run("remove-node.yml", options: options, variables: variables)
            }
        }
    }

    /// `cluster upgrade`: one Kubernetes minor up, control plane first.
    struct Upgrade: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upgrade the cluster one minor version (playbooks/upgrade.yml).")
        @OptionGroup var options: ClusterOptions

        @Option(help: "The Kubernetes minor to upgrade to (sets kube_version, e.g. 1.32).")
        var to: String?

        func run() async throws {
            let nodes = ClusterContext.load(sources: options.inventory.sources, limit: options.inventory.limit).nodeList
            try Confirmation.require(
                "Upgrade \(nodes) (inventory \(options.inventory.sources.joined(separator: ", ")))"
                    + (to.map { " to Kubernetes \($0)" } ?? ""), yes: options.yes || options.check)
            try await ClusterRunner.run(
                "upgrade.yml", options: options, variables: to.map { ["kube_version": .string($0)] } ?? [:])
        }
    }
}
