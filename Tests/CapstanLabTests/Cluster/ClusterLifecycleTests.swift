import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanExecution
@testable import CapstanYAML

/// playbooks/cluster.yml, add-node.yml, remove-node.yml, upgrade.yml and reset.yml on the test lab
/// with the kube test doubles (Tests/kube-doubles): bootstrap, a second run, adding a node, removing
/// one, upgrading, resetting and purging, in that order on the same three nodes (of the cluster test lab, `LabNodes.Lab.cluster`),
/// checked through what the doubles recorded on each node and what is left on it.
@Suite(.serialized) struct ClusterLifecycleTests {
    static let bootstrap = "cluster.yml"

    @Test func lifecycle() throws {
        let nodes = try ClusterLab.nodes()
        let (cp, worker, newcomer) = (nodes[0], nodes[1], nodes[2])
        let dir = try ClusterLab.prepare(nodes, workers: [worker.name])
        var outputs: [String] = []
        var timings: [String] = []
        defer { print("cluster lifecycle:", timings.joined(separator: ", ")) }

        // Bootstrap: init once on the first control plane, flannel after it, then the join.
        let first = try ClusterLab.play(dir, Self.bootstrap)
        outputs.append(first.out + first.err)
        timings.append(String(format: "%@ %.1fs", "first", first.seconds))
        #expect(first.status == 0, "bootstrap: \(first.out)\(first.err)")
        let cpCalls = try ClusterLab.calls(cp)
        let inits = cpCalls.filter { $0.tool == "kubeadm" && $0.arguments.hasPrefix("init ") }
        #expect(inits.count == 1, "\(inits)")
        let joins = try ClusterLab.calls(worker).filter { $0.tool == "kubeadm" && $0.arguments.hasPrefix("join ") }
        #expect(joins.count == 1, "\(joins)")
        let flannel = cpCalls.filter {
            $0.tool == "kubectl" && $0.arguments.contains("apply -f /etc/kubernetes/addons")
        }
        #expect(flannel.count == 1)
        if let initCall = inits.first, let join = joins.first, let apply = flannel.first {
            #expect(initCall.time < join.time && initCall.time < apply.time)
        }
        #expect(joins.allSatisfy { $0.arguments == "join --config /etc/kubernetes/kubeadm-join.yaml" })
        let nodesNow = try LabNodes.exec(cp, "kubectl get nodes --no-headers").output
        #expect(nodesNow.split(separator: "\n").filter { $0.contains(" Ready ") }.count == 2, "\(nodesNow)")
        try checkKubeconfigModes(cp, artifacts: dir + "/artifacts")
        try checkRenderedKubeadmConfig(cp)
        // kube-packages' regex_replace backreference ('\1' as Ansible reads it from YAML) gave the repository's host.
        let direct = try LabNodes.exec(cp, "cat /etc/apt/apt.conf.d/90capstan-kubernetes-direct").output
        #expect(
            direct.range(of: #"^Acquire::http::Proxy::[0-9.]+ "DIRECT";\n"#, options: .regularExpression) != nil,
            "\(direct)")
        let tokens = try LabNodes.exec(cp, "ls /var/lib/etcd/kube-doubles/tokens").output
            .split(separator: "\n").map(String.init)
        let adminKey = try LabNodes.exec(cp, "sed -n 's/.*client-key-data: //p' /etc/kubernetes/admin.conf").output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(tokens.count == 2 && adminKey.count > 20)
        #expect(
            tokens.allSatisfy { $0.range(of: "^[a-z0-9]{6}\\.[a-z0-9]{16}$", options: .regularExpression) != nil },
            "\(tokens)")
        #expect(try !LabNodes.exec(worker, "ls /etc/kubernetes/kubeadm-join.yaml 2>&1").output.contains("yaml\n"))

        // A second run changes nothing and calls kubeadm for nothing but its version.
        let before = try nodes.map { try ClusterLab.calls($0).count }
        let second = try ClusterLab.play(dir, Self.bootstrap)
        outputs.append(second.out + second.err)
        timings.append(String(format: "%@ %.1fs", "second", second.seconds))
        #expect(second.status == 0)
        for node in [cp, worker] {
            #expect(ClusterLab.recap(second.out, node.name).contains("changed=0 "), "\(second.out)")
        }
        let again = try ClusterLab.calls(cp).dropFirst(before[0]).filter { $0.tool == "kubeadm" }
        #expect(again.map(\.arguments) == ["version -o short"])

        // flannel from the operator's file, then from a URL: taken as they are, "Network" set to the pod
        // subnet, applied again.
        try checkFlannelSources(cp, dir: dir)

        // add-node touches only the new node (and asks the first control plane for a token).
        try ClusterLab.writeInventory(dir, controlPlane: cp.name, workers: [worker.name], newNodes: [newcomer.name])
        let workerBefore = try ClusterLab.calls(worker).count
        let cpBefore = try ClusterLab.calls(cp).count
        // The newcomer is half-joined (an interrupted run left the CA): it is reset, then joined.
        try LabNodes.exec(newcomer, "mkdir -p /etc/kubernetes/pki && echo stale > /etc/kubernetes/pki/ca.crt")
        let added = try ClusterLab.play(dir, "add-node.yml", ["--limit", newcomer.name])
        outputs.append(added.out + added.err)
        timings.append(String(format: "%@ %.1fs", "added", added.seconds))
        #expect(added.status == 0, "add-node: \(added.out)")
        #expect(try ClusterLab.calls(worker).count == workerBefore)
        let cpNew = try ClusterLab.calls(cp).dropFirst(cpBefore).filter { $0.tool != "kube-apiserver" }
        #expect(cpNew.map(\.tool).allSatisfy { $0 == "kubeadm" || $0 == "kubectl" })
        #expect(
            cpNew.filter { $0.tool == "kubeadm" }.map(\.arguments) == ["token create --ttl 15m --print-join-command"])
        let newcomerKubeadm = try ClusterLab.calls(newcomer).filter { $0.tool == "kubeadm" }.map(\.arguments)
        #expect(
            newcomerKubeadm.filter { $0 != "version -o short" }
                == ["reset -f", "join --config /etc/kubernetes/kubeadm-join.yaml"], "\(newcomerKubeadm)")
        #expect(!added.out.contains("[\(worker.name)]"))

        // remove-node: drain, then delete, then reset on the node.
        let removed = try ClusterLab.play(dir, "remove-node.yml", ["-e", "node=\(worker.name)"])
        outputs.append(removed.out + removed.err)
        timings.append(String(format: "%@ %.1fs", "removed", removed.seconds))
        #expect(removed.status == 0, "remove-node: \(removed.out)")
        let cpLog = try ClusterLab.calls(cp)
        let drain = cpLog.last { $0.arguments.contains("drain \(worker.name) ") }
        let delete = cpLog.last { $0.arguments.contains("delete node \(worker.name)") }
        let reset = try ClusterLab.calls(worker).last { $0.tool == "kubeadm" && $0.arguments == "reset -f" }
        #expect(drain != nil && delete != nil && reset != nil)
        if let drain, let delete, let reset { #expect(drain.time < delete.time && delete.time < reset.time) }
        #expect(try !LabNodes.exec(cp, "kubectl get nodes").output.contains(worker.name))

        // The removed node leaves the inventory.
        try ClusterLab.writeInventory(dir, controlPlane: cp.name, workers: [newcomer.name])

        // upgrade: one minor up, the control plane first, then each worker drained, upgraded, uncordoned.
        let upgradeStart = Date().timeIntervalSince1970
        let upgraded = try ClusterLab.play(dir, "upgrade.yml", ["-e", "kube_version=1.32"])
        outputs.append(upgraded.out + upgraded.err)
        timings.append(String(format: "%@ %.1fs", "upgraded", upgraded.seconds))
        #expect(upgraded.status == 0, "upgrade: \(upgraded.out)")
        let applied = try ClusterLab.calls(cp).first { $0.arguments == "upgrade apply v1.32.2 --yes" }
        let drained = try ClusterLab.calls(cp).first {
            $0.time > upgradeStart && $0.arguments.contains("drain \(newcomer.name) ")
        }
        let upgradedNode = try ClusterLab.calls(newcomer).first { $0.arguments == "upgrade node" }
        #expect(applied != nil && drained != nil && upgradedNode != nil)
        if let applied, let drained, let upgradedNode {
            #expect(applied.time < drained.time && drained.time < upgradedNode.time)
        }
        let versions = try LabNodes.exec(cp, "kubectl get nodes --no-headers").output
        #expect(
            versions.split(separator: "\n").allSatisfy { $0.contains(" Ready ") && $0.hasSuffix("v1.32.2") },
            "\(versions)")

        // remove-node of a dead node (`allow_ungraceful`): drained and deleted on the control plane all
        // the same; its reset finds it unreachable, which the play ignores (as ansible-playbook does).
        try LabNodes.exec(newcomer, "systemctl stop ssh")
        let newcomerCalls = try ClusterLab.calls(newcomer).count
        let deadStart = Date().timeIntervalSince1970
        let dead = try ClusterLab.play(
            dir, "remove-node.yml", ["-e", "node=\(newcomer.name)", "-e", "allow_ungraceful=true"])
        try LabNodes.exec(newcomer, "systemctl start ssh")
        outputs.append(dead.out + dead.err)
        timings.append(String(format: "%@ %.1fs", "dead removed", dead.seconds))
        #expect(dead.status == 0, "remove-node of a dead node: \(dead.out)")
        let deadRecap = ClusterLab.recap(dead.out, newcomer.name)
        #expect(deadRecap.contains("unreachable=0 ") && !deadRecap.contains("ignored=0 "), "\(deadRecap)")
        let deleted = try ClusterLab.calls(cp).contains {
            $0.time >= deadStart && $0.arguments.contains("delete node \(newcomer.name)")
        }
        #expect(deleted)
        #expect(try ClusterLab.calls(newcomer).count == newcomerCalls)
        #expect(try !LabNodes.exec(cp, "kubectl get nodes").output.contains(newcomer.name))

        // reset: nothing of the cluster left, SSH's own rule kept.
        for node in nodes { try LabNodes.exec(node, "iptables -I INPUT -p tcp --dport 22 -j ACCEPT") }
        try ClusterLab.writeInventory(dir, controlPlane: cp.name, workers: [worker.name, newcomer.name])
        let wiped = try ClusterLab.play(dir, "reset.yml")
        outputs.append(wiped.out + wiped.err)
        timings.append(String(format: "%@ %.1fs", "wiped", wiped.seconds))
        #expect(wiped.status == 0, "reset: \(wiped.out)")
        for node in nodes { try checkClean(node) }

        // purge (on one node, for time): the packages, their apt source and key go too.
        let purged = try ClusterLab.play(dir, "reset.yml", ["-e", "purge=true", "--limit", newcomer.name])
        outputs.append(purged.out + purged.err)
        timings.append(String(format: "%@ %.1fs", "purged", purged.seconds))
        #expect(purged.status == 0, "purge: \(purged.out)")
        for node in [newcomer] {
            let left = try LabNodes.exec(
                node,
                """
                for p in kubeadm kubelet kubectl kubernetes-cni; do
                  ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || echo "package $p"; done
                [ ! -e /etc/apt/sources.list.d/kubernetes.list ] || echo "apt source"
                [ ! -e /etc/apt/keyrings/kubernetes-apt-keyring.asc ] || echo "apt key"
                true
                """
            ).output
            #expect(left.isEmpty, "\(node.name): \(left)")
        }

        // No token, certificate key or kubeconfig content in any output, the journal or the doubles' argv.
        let journal = try String(
            decoding: Data(contentsOf: URL(fileURLWithPath: dir + "/journal.sqlite")), as: UTF8.self)
        let argv = try nodes.flatMap { try ClusterLab.calls($0) }.map(\.arguments).joined(separator: "\n")
        for secret in tokens + [adminKey] {
            for (name, text) in [("output", outputs.joined()), ("journal", journal), ("argv", argv)] {
                #expect(!text.contains(secret), "a secret appears in the \(name)")
            }
        }
    }

    /// ~/.kube (0700) with config (0600) on the control plane; the artifacts dir (0700) with admin.conf (0600).
    func checkFlannelSources(_ cp: LabNodes.Node, dir: String) throws {
        let path = "/etc/kubernetes/addons/kube-flannel.yml"
        let ours = try LabNodes.exec(cp, "cat \(path)").output
        let subnet = "\"Network\": \"10.244.0.0/16\""
        let foreign = ours.replacingOccurrences(of: subnet, with: "\"Network\": \"10.99.0.0/16\"")
        #expect(foreign != ours, "the role's manifest sets \(subnet)")
        let vars = try String(contentsOfFile: dir + "/group_vars/all/kube-doubles.yml", encoding: .utf8)
        let server = try #require(vars.firstMatch(of: #/http://[^/]+//#)).output
        let served = ClusterLab.lab.directory + "/kube-doubles/repo/flannel-from-url.yml"
        try ("# flannel from a URL\n" + foreign).write(toFile: served, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: served) }
        try ("# flannel from a file\n" + foreign).write(
            toFile: dir + "/flannel-from-file.yml", atomically: true, encoding: .utf8)
        let book = dir + "/flannel.yml"
        try """
        - hosts: kube_control_plane[0]
          become: true
          gather_facts: false
          roles: [cni-flannel]

        """.write(toFile: book, atomically: true, encoding: .utf8)
        for (source, marker) in [
            ("flannel_manifest_file=\(dir)/flannel-from-file.yml", "# flannel from a file"),
            ("flannel_manifest_url=\(server)flannel-from-url.yml", "# flannel from a URL"),
        ] {
            let started = Date().timeIntervalSince1970
            let run = try ClusterLab.play(dir, book, ["--roles-path", ClusterPlay.roles, "-e", source])
            #expect(run.status == 0, "\(source): \(run.out)\(run.err)")
            let written = try LabNodes.exec(cp, "cat \(path)").output
            #expect(written.hasPrefix(marker + "\n") && written.contains(subnet) && !written.contains("10.99.0.0"))
            let applied = try ClusterLab.calls(cp).contains {
                $0.time >= started && $0.tool == "kubectl" && $0.arguments.contains("apply -f \(path)")
            }
            #expect(applied, "\(source)")
        }
    }

    func checkKubeconfigModes(_ cp: LabNodes.Node, artifacts: String) throws {
        let modes = try LabNodes.exec(cp, "stat -c '%a %n' /root/.kube /root/.kube/config").output
        #expect(modes == "700 /root/.kube\n600 /root/.kube/config\n")
        let attrs = try FileManager.default.attributesOfItem(atPath: artifacts + "/admin.conf")
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let dirAttrs = try FileManager.default.attributesOfItem(atPath: artifacts)
        #expect((dirAttrs[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        let local = try String(contentsOfFile: artifacts + "/admin.conf", encoding: .utf8)
        #expect(local == (try LabNodes.exec(cp, "cat /etc/kubernetes/admin.conf").output))
    }

    /// The kubeadm config the control-plane role wrote, against kubeadm's v1beta4 fields.
    func checkRenderedKubeadmConfig(_ cp: LabNodes.Node) throws {
        let text = try LabNodes.exec(cp, "cat /etc/kubernetes/kubeadm-config.yaml").output
        let oracle = try KubeadmFields.load()
        var warnings: [Warning] = []
        for document in try YAMLLoader.values(text: text, file: "kubeadm-config.yaml", warnings: &warnings) {
            guard let kind = document["kind"]?.stringValue, kind != "KubeletConfiguration" else { continue }
            #expect(document["apiVersion"]?.stringValue == "kubeadm.k8s.io/v1beta4")
            #expect(oracle.check(document, version: "v1beta4", kind: kind).isEmpty)
        }
        #expect(text.contains("advertiseAddress: \"\(cp.address)\""))
        #expect(text.contains("kubernetesVersion: \"v1.31.4\""))
    }

    /// None of the paths, interfaces, rules or services a reset removes is left on `node`.
    func checkClean(_ node: LabNodes.Node) throws {
        let probe = """
            for p in /etc/cni/net.d /var/lib/cni /etc/kubernetes /var/lib/kubelet /var/lib/etcd /root/.kube; do
              [ ! -e "$p" ] || echo "path $p"; done
            for i in cni0 flannel.1; do ! ip link show "$i" >/dev/null 2>&1 || echo "interface $i"; done
            iptables-save | grep -E 'KUBE-|FLANNEL-' | sed 's/^/rule /'
            systemctl is-active --quiet kubelet && echo "kubelet active"
            iptables-save | grep -q -- '--dport 22 -j ACCEPT' || echo "ssh rule gone"
            true
            """
        let left = try LabNodes.exec(node, probe).output
        #expect(left.isEmpty, "\(node.name): \(left)")
    }
}
