import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanExecution

/// The operator's commands in the order they come, twice, on the cluster test lab with the kube test
/// doubles: `cluster up`, `ml up`, `add-node` of a third node, then all three again on the three
/// nodes. Once `ml up` and
/// `cluster up` undid each other (containerd's registry `config_path` written back and forth, containerd
/// restarted everywhere); now the second round must change nothing on any node, the node added after
/// `ml up` must trust the registry as the others do, and `ml up -C -D` on the converged cluster must
/// run through without changing anything. Before the cluster exists, `ml up` stops, saying why.
@Suite(.serialized) struct ConvergenceLabTests {
    /// What the runs could change on a node: the cluster's files and the ML layer's, packages, services.
    static let snapshot =
        ClusterPlanLabTests.snapshot + """

            for p in /etc/capstan /etc/containerd/certs.d; do
              if [ -e "$p" ]; then find "$p" -type f -exec md5sum {} + 2>/dev/null | sort; else echo "absent $p"; fi
            done
            systemctl show -p ActiveEnterTimestampMonotonic containerd
            true
            """

    static func ml(_ dir: String, _ arguments: [String]) throws
        -> (status: Int32, out: String, err: String, seconds: Double)
    {
        try CapstanBinary.run(
            ["ml", "up"] + arguments + [
                "-i", "\(dir)/hosts.ini", "--playbooks-dir", ClusterLab.playbooks, "--journal", "\(dir)/journal.sqlite",
            ])
    }

    /// The hosts whose recap line in `output` does not say `changed=0`.
    static func changedHosts(_ output: String, _ hosts: [String]) -> [String] {
        hosts.filter { !ClusterLab.recap(output, $0).contains("changed=0 ") }
    }

    @Test func clusterUpMLUpAndAddNodeTwiceChangeNothingTheSecondTime() throws {
        let nodes = try ClusterLab.nodes()
        let (cp, worker, newcomer) = (nodes[0], nodes[1], nodes[2])
        let dir = try ClusterLab.prepare(nodes, workers: [worker.name])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for node in nodes { _ = try LabNodes.exec(node, "rm -rf /etc/capstan /etc/containerd/certs.d") }
        var timings: [String] = []
        defer { print("convergence:", timings.joined(separator: ", ")) }

        // Before any cluster: `ml up`, checked or not, stops on the control plane, naming what is missing.
        let bare = try nodes.map { try LabNodes.exec($0, Self.snapshot).output }
        for mode in [["-C", "-D"], []] {
            let early = try Self.ml(dir, mode)
            #expect(early.status == 2, "ml up \(mode) on bare nodes: \(early.out)\(early.err)")
            #expect(early.out.contains("has no /etc/kubernetes/admin.conf"), "\(early.out)")
            let now = try nodes.map { try LabNodes.exec($0, Self.snapshot).output }
            let changed = ClusterLab.differences(bare, now)
            #expect(changed.isEmpty, "ml up \(mode) changed: \(changed)")
        }

        var snapshots: [[String]] = []
        for round in 1...2 {
            if round == 2 { snapshots.append(try nodes.map { try LabNodes.exec($0, Self.snapshot).output }) }
            // The second round runs on the inventory as it is after the add: three nodes.
            let workers = round == 1 ? [worker.name] : [worker.name, newcomer.name]
            try ClusterLab.writeInventory(dir, controlPlane: cp.name, workers: workers)
            let up = try ClusterPlanLabTests.cluster(dir, ["up"])
            timings.append(String(format: "cluster up #%d %.1fs", round, up.seconds))
            #expect(up.status == 0, "cluster up #\(round): \(up.out)\(up.err)")

            let ml = try Self.ml(dir, [])
            timings.append(String(format: "ml up #%d %.1fs", round, ml.seconds))
            #expect(ml.status == 0, "ml up #\(round): \(ml.out)\(ml.err)")

            try ClusterLab.writeInventory(dir, controlPlane: cp.name, workers: [worker.name, newcomer.name])
            let added = try ClusterPlanLabTests.cluster(dir, ["add-node", newcomer.name])
            timings.append(String(format: "add-node #%d %.1fs", round, added.seconds))
            #expect(added.status == 0, "add-node #\(round): \(added.out)\(added.err)")

            if round == 1 {
                // add-node after `ml up` brings the registry trust with it.
                let toml = try LabNodes.exec(newcomer, "cat /etc/containerd/certs.d/*/hosts.toml").output
                #expect(toml.contains("[host.\"http://"), "\(newcomer.name) does not trust the registry: \(toml)")
            }
            if round == 2 {
                let all = nodes.map(\.name)
                #expect(Self.changedHosts(up.out, all).isEmpty, "cluster up #2: \(up.out)")
                #expect(Self.changedHosts(ml.out, all).isEmpty, "ml up #2: \(ml.out)")
                #expect(Self.changedHosts(added.out, [newcomer.name]).isEmpty, "add-node #2: \(added.out)")
            }
        }
        // The third node joined after `ml up` and trusts the registry as the first two do.
        let trust = try nodes.map {
            try LabNodes.exec(
                $0,
                "grep -c 'config_path = \"/etc/containerd/certs.d\"' /etc/containerd/config.toml; "
                    + "ls /etc/containerd/certs.d"
            ).output
        }
        #expect(Set(trust).count == 1 && trust[0].hasPrefix("1\n") && trust[0].count > 3, "\(trust)")

        // Nothing on any node differs from before the second round (containerd not even restarted).
        let after = try nodes.map { try LabNodes.exec($0, Self.snapshot).output }
        for (node, (before, now)) in zip(nodes, zip(snapshots[0], after)) {
            let changed = ClusterLab.differences([before], [now])
            #expect(changed.isEmpty, "\(node.name) changed in the second round: \(changed)")
        }

        // `ml up` in check mode with diffs on the converged cluster: runs through, changes nothing.
        let check = try Self.ml(dir, ["-C", "-D"])
        timings.append(String(format: "ml up -C %.1fs", check.seconds))
        #expect(check.status == 0, "ml up -C: \(ClusterLab.failedLines(check.out))\n\(check.err)")
        #expect(Self.changedHosts(check.out, nodes.map(\.name)).isEmpty, "ml up -C: \(check.out)")
        let checked = try nodes.map { try LabNodes.exec($0, Self.snapshot).output }
        #expect(checked == after, "ml up -C changed a node")
    }
}
