import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanExecution

/// `capstan cluster plan` on the cluster test lab with the kube test doubles: on bare nodes it lists
/// what `cluster up` would do and changes nothing on them; on the cluster `cluster up` then builds
/// it lists nothing, and upgrade, remove-node, add-node and reset run through in check mode
/// without changing the nodes.
@Suite(.serialized) struct ClusterPlanLabTests {
    /// What a run could change on a node: files of the cluster, packages and holds, services.
    static let snapshot = """
        for p in /etc/kubernetes /etc/containerd /etc/modules-load.d /etc/sysctl.d /etc/apt/sources.list.d \
          /etc/apt/keyrings /root/.kube /usr/local/lib/capstan /var/lib/kubelet /etc/cni; do
          if [ -e "$p" ]; then find "$p" -type f -exec md5sum {} + 2>/dev/null | sort; else echo "absent $p"; fi
        done
        dpkg-query -W -f='${Package} ${Version} ${Status}\\n' kubeadm kubelet kubectl containerd 2>/dev/null | sort
        apt-mark showhold
        systemctl is-active containerd kubelet 2>&1
        systemctl is-enabled kubelet 2>&1
        true
        """

    /// `capstan cluster VERB` on the inventory in `dir` with the project's playbooks.
    static func cluster(_ dir: String, _ arguments: [String]) throws
        -> (status: Int32, out: String, err: String, seconds: Double)
    {
        try CapstanBinary.run(
            ["cluster"] + arguments + [
                "-i", "\(dir)/hosts.ini", "--playbooks-dir", ClusterLab.playbooks, "--journal", "\(dir)/journal.sqlite",
            ])
    }

    /// The lines of `host`'s part of a plan.
    static func section(_ plan: String, _ host: String) -> String {
        guard let start = plan.range(of: "\n\(host): ") else { return "" }
        let rest = plan[start.upperBound...]
        let end = rest.range(of: "\n\n")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    @Test func planOnBareNodesThenOnTheBuiltCluster() throws {
        let nodes = try ClusterLab.nodes()
        let (cp, worker) = (nodes[0], nodes[1])
        let dir = try ClusterLab.prepare(nodes, workers: [worker.name])
        // An earlier test on this lab may have left node-prep's file (wipe keeps packages and sysctls).
        for node in [cp, worker] { try LabNodes.exec(node, "rm -f /etc/sysctl.d/k8s.conf") }
        let before = try [cp, worker].map { try LabNodes.exec($0, Self.snapshot).output }
        let callsBefore = try [cp, worker].map { try ClusterLab.calls($0).count }

        let bare = try Self.cluster(dir, ["plan"])
        print("cluster plan on bare nodes: \(String(format: "%.1f", bare.seconds)) s")
        #expect(bare.status == 0, "\(bare.out)\(bare.err)")
        let cpPlan = Self.section(bare.out, cp.name)
        let workerPlan = Self.section(bare.out, worker.name)
        #expect(cpPlan.contains("~ control-plane : kubeadm init (command would run)"), "\(bare.out)")
        #expect(cpPlan.contains("~ node-prep : Write the kernel parameters"), "\(cpPlan)")
        #expect(cpPlan.contains("+net.ipv4.ip_forward"), "\(cpPlan)")
        #expect(workerPlan.contains("~ join : kubeadm join (command would run)"), "\(workerPlan)")
        #expect(bare.out.contains("2 of 2 hosts would change."), "\(bare.out)")
        // Nothing changed on the nodes; the doubles were only asked to read.
        let after = try [cp, worker].map { try LabNodes.exec($0, Self.snapshot).output }
        #expect(after == before)
        let newCalls = try zip([cp, worker], callsBefore).flatMap { try ClusterLab.calls($0).dropFirst($1) }
        #expect(
            newCalls.allSatisfy { $0.arguments.hasPrefix("version") || $0.tool == "kube-apiserver" },
            "\(newCalls)")

        let up = try Self.cluster(dir, ["up"])
        print("cluster up: \(String(format: "%.1f", up.seconds)) s")
        #expect(up.status == 0, "\(up.out)\(up.err)")
        #expect(up.out.contains("API server:  https://\(cp.address):6443"), "\(up.out)")

        let built = try Self.cluster(dir, ["plan"])
        print("cluster plan on the built cluster: \(String(format: "%.1f", built.seconds)) s")
        #expect(built.status == 0, "\(built.out)\(built.err)")
        #expect(built.out.contains("\n\(cp.name): nothing to change\n"), "\(built.out)")
        #expect(built.out.contains("\n\(worker.name): nothing to change\n"), "\(built.out)")
        #expect(built.out.contains("0 of 2 hosts would change."), "\(built.out)")

        // Every other cluster verb in check mode on the built cluster: it runs through, nothing changes.
        let builtState = try [cp, worker].map { try LabNodes.exec($0, Self.snapshot).output }
        for verb in [
            ["upgrade", "--to", "1.32"], ["remove-node", worker.name], ["add-node", worker.name], ["reset"],
        ] {
            let r = try Self.cluster(dir, verb + ["-C", "-D"])
            print("cluster \(verb[0]) -C: \(String(format: "%.1f", r.seconds)) s")
            #expect(r.status == 0, "\(verb): \(ClusterLab.failedLines(r.out))\n\(r.err)")
            let now = try [cp, worker].map { try LabNodes.exec($0, Self.snapshot).output }
            let changed = ClusterLab.differences(builtState, now)
            #expect(changed.isEmpty, "\(verb) -C changed: \(changed)")
        }
    }
}
