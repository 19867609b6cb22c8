import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanExecution

/// The test lab as a Kubernetes lab with the kube test doubles (Tests/kube-doubles): the doubles'
/// apt repositories served to the test lab's nodes (`serve`), an inventory with the canonical
/// groups and the vars `serve` writes, and ways to read what the doubles recorded on each node.
enum ClusterLab {
    static let serveScript = Fixtures.packageRoot.appendingPathComponent("Tests/kube-doubles/serve").path
    static let playbooks = Fixtures.packageRoot.appendingPathComponent("playbooks").path

    /// The lab's environment for Tests/lab/lab and Tests/kube-doubles/serve.
    static var labEnvironment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["CAPSTAN_LAB_DIR"] = lab.directory
        env["CAPSTAN_LAB_BRIDGE"] = lab.bridge
        env["CAPSTAN_LAB_SUBNET"] = lab.subnet
        return env
    }

    /// The lab the cluster tests use: a lab of its own, so no other test's changes (apt sources
    /// included) reach its nodes and its size does not change the first lab's inventory.
    static let lab = LabNodes.Lab.cluster

    /// The cluster tests' three nodes.
    static func nodes() throws -> [LabNodes.Node] { try LabNodes.up(3, lab: lab) }

    /// Serves the doubles, wipes every trace of an earlier cluster from `nodes`, and writes an
    /// inventory (in a fresh directory, returned) whose control plane is the first of `nodes` and
    /// whose workers are `workers`.
    static func prepare(_ nodes: [LabNodes.Node], workers: [String]) throws -> String {
        let serve = try SpawnedProcess.run("/bin/bash", [serveScript, "start"], environment: labEnvironment)
        guard serve.status == 0 else { throw LabNodes.LabError(message: "serve: \(serve.out)\(serve.err)") }
        stopServingAtExit()
        for node in nodes { try wipe(node) }
        let dir = TestScratch.directory + "/capstan-cluster-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/group_vars/all", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: lab.directory + "/group_vars/all/kube-doubles.yml",
            toPath: dir + "/group_vars/all/kube-doubles.yml")
        try writeInventory(dir, controlPlane: nodes[0].name, workers: workers)
        return dir
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var stopRegistered = false

    /// The HTTP server goes when the lab goes (at exit, before `lab down`, which was registered
    /// earlier), unless the lab is kept (CAPSTAN_LAB_KEEP=1).
    private static func stopServingAtExit() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopRegistered, LabNodes.environment["CAPSTAN_LAB_KEEP"] != "1" else { return }
        stopRegistered = true
        atexit {
            _ = try? SpawnedProcess.run(
                "/bin/bash", [ClusterLab.serveScript, "stop"], environment: ClusterLab.labEnvironment)
        }
    }

    /// (Re)writes `dir/hosts.ini`: `controlPlane`, `workers` and `newNodes` as workers, `newNodes`
    /// also in `new-nodes`; the artifacts go to `dir/artifacts`.
    static func writeInventory(_ dir: String, controlPlane: String, workers: [String], newNodes: [String] = []) throws {
        let lines = try String(contentsOfFile: lab.inventoryPath, encoding: .utf8)
            .split(separator: "\n").map(String.init)
        func line(_ name: String) -> String { lines.first { $0.hasPrefix(name + " ") } ?? name }
        var ini = "[kube_control_plane]\n\(line(controlPlane))\n[kube_node]\n"
        ini += (workers + newNodes).map(line).joined(separator: "\n") + "\n[new-nodes]\n"
        ini += newNodes.joined(separator: "\n") + "\n[k8s_cluster:children]\nkube_control_plane\nkube_node\n"
        ini += "[all:vars]\nansible_ssh_common_args='-o UserKnownHostsFile=\(lab.knownHostsPath)'\n"
        ini += "capstan_artifacts_dir=\(dir)/artifacts\n"
        try ini.write(toFile: dir + "/hosts.ini", atomically: true, encoding: .utf8)
    }

    /// Removes what a cluster left on a node (and the doubles' call log), without Capstan.
    static func wipe(_ node: LabNodes.Node) throws {
        let script = """
            systemctl stop kubelet kube-apiserver-double 2>/dev/null; systemctl reset-failed kubelet 2>/dev/null
            rm -rf /etc/kubernetes /var/lib/etcd /var/lib/kubelet /etc/cni /var/lib/cni /run/flannel \
              /var/lib/kube-doubles /root/.kube
            ip link del cni0 2>/dev/null; ip link del flannel.1 2>/dev/null
            if command -v iptables-save >/dev/null; then
              iptables-save | grep -Ev 'KUBE-|FLANNEL-' | iptables-restore
            fi
            true
            """
        let result = try LabNodes.exec(node, script)
        guard result.status == 0 else { throw LabNodes.LabError(message: "wipe \(node.name): \(result.output)") }
    }

    /// `capstan play` of a playbook in playbooks/ (or a fixture path) on the inventory in `dir`,
    /// journal in `dir/journal.sqlite`.
    static func play(_ dir: String, _ playbook: String, _ extra: [String] = []) throws
        -> (status: Int32, out: String, err: String, seconds: Double)
    {
        let path = playbook.hasPrefix("/") ? playbook : "\(playbooks)/\(playbook)"
        return try CapstanBinary.run(
            ["play", "-i", "\(dir)/hosts.ini", "--journal", "\(dir)/journal.sqlite"] + extra + [path])
    }

    /// One call a double recorded: when (seconds since the epoch), which tool, its arguments.
    struct Call: CustomStringConvertible {
        let node: String
        let time: Double
        let tool: String
        let arguments: String
        var description: String { "\(node) \(tool) \(arguments)" }
    }

    /// Every call the doubles recorded on `node` (/var/lib/kube-doubles/calls.log).
    static func calls(_ node: LabNodes.Node) throws -> [Call] {
        let log = try LabNodes.exec(node, "cat /var/lib/kube-doubles/calls.log 2>/dev/null; true").output
        return log.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count >= 2, let time = Double(parts[0]) else { return nil }
            return Call(node: node.name, time: time, tool: parts[1], arguments: parts.count > 2 ? parts[2] : "")
        }
    }

    /// The lines in which two series of node snapshots (one text per node) differ, either way.
    static func differences(_ before: [String], _ after: [String]) -> Set<Substring> {
        zip(before, after).reduce(into: []) { lines, pair in
            lines.formUnion(Set(pair.1.split(separator: "\n")).symmetricDifference(Set(pair.0.split(separator: "\n"))))
        }
    }

    /// The lines of a run's output that report a failed task.
    static func failedLines(_ output: String) -> String {
        output.split(separator: "\n").filter { $0.hasPrefix("fatal:") || $0.contains("FAILED") }
            .joined(separator: "\n")
    }

    /// The recap line of `host` in a playbook's output.
    static func recap(_ output: String, _ host: String) -> String {
        output.split(separator: "\n").last { $0.hasPrefix(host + " ") && $0.contains("ok=") }.map(String.init) ?? ""
    }
}
