import Foundation
import Testing

/// node-prep and container-runtime for real on two lab nodes (real systemd, containerd from
/// Debian through the lab's apt proxy), then a second run that must change nothing.
@Suite(.serialized) struct NodePrepLabTests {
    /// Puts the nodes back to a lab node's defaults, so a kept lab (CAPSTAN_LAB_KEEP=1) tests the
    /// first run again: swap line in fstab, forwarding off, no containerd, units as the lab masks them.
    static func reset(_ nodes: [LabNodes.Node]) throws {
        for node in nodes {
            let r = try LabNodes.exec(
                node,
                """
                set -e
                sed -i '/capstan-test-swap/d' /etc/fstab
                echo '/capstan-test-swap none swap sw 0 0' >>/etc/fstab
                systemctl unmask swap.target >/dev/null 2>&1
                rm -f /etc/modules-load.d/k8s.conf /etc/sysctl.d/k8s.conf
                sysctl -qw net.ipv4.ip_forward=0 net.bridge.bridge-nf-call-iptables=0
                systemctl stop containerd >/dev/null 2>&1 || true
                DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq containerd runc >/dev/null 2>&1 || true
                rm -rf /etc/containerd /usr/local/lib/capstan
                ln -sfn /dev/null /etc/systemd/system/containerd.service
                systemctl daemon-reload
                """)
            #expect(r.status == 0, "\(r.output)")
        }
    }

    /// The TOML table a line of `text` that starts with `key` sits in.
    static func table(of key: String, in text: String) -> String? {
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("[") { current = t }
            if t.hasPrefix(key) { return current }
        }
        return nil
    }

    @Test func prepareAndRuntimeThenNothingChanges() throws {
        let nodes = try LabNodes.up(2)
        try Self.reset(nodes)
        let first = try ClusterPlay.play("prep/site.yml")
        #expect(first.status == 0, "\(first.out)\n\(first.err)")
        #expect(ClusterPlay.changed(first) > 0)

        for node in nodes {
            let fstab = try LabNodes.exec(node, "grep capstan-test-swap /etc/fstab").output
            #expect(fstab == "# /capstan-test-swap none swap sw 0 0\n")
            #expect(try LabNodes.exec(node, "systemctl is-enabled swap.target").output == "masked\n")
            #expect(try LabNodes.exec(node, "cat /etc/modules-load.d/k8s.conf").output == "overlay\nbr_netfilter\n")
            let sysctls = try LabNodes.exec(
                node,
                "sysctl -n net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables net.ipv4.ip_forward")
            #expect(sysctls.output == "1\n1\n1\n")
            let file = try LabNodes.exec(node, "cat /etc/sysctl.d/k8s.conf").output
            #expect(file.contains("net.ipv4.ip_forward = 1\n"))
            #expect(file.contains("net.bridge.bridge-nf-call-iptables = 1\n"))

            // containerd: installed from Debian, started by the node's systemd, CRI plugin up.
            #expect(try LabNodes.exec(node, "dpkg-query -W -f '${Status}' containerd").output == "install ok installed")
            #expect(try LabNodes.exec(node, "systemctl is-active containerd").output == "active\n")
            let cri = try LabNodes.exec(node, "ctr plugins ls | awk '$2 == \"cri\" { print $4 }'").output
            #expect(cri == "ok\n")
            let major = try LabNodes.exec(node, "containerd --version | awk '{ print $3 }' | cut -d. -f1").output
            let config = try LabNodes.exec(node, "cat /etc/containerd/config.toml").output
            #expect(config.contains("SystemdCgroup = true"))
            #expect(!config.contains("SystemdCgroup = false"))
            if major == "1\n" {
                #expect(config.hasPrefix("disabled_plugins = []\n"))
                #expect(config.contains("\nversion = 2\n"))
                #expect(
                    Self.table(of: "SystemdCgroup", in: config)
                        == "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]")
                #expect(
                    Self.table(of: "sandbox_image = \"registry.k8s.io/pause:3.10\"", in: config)
                        == "[plugins.\"io.containerd.grpc.v1.cri\"]")
            } else {
                #expect(
                    Self.table(of: "SystemdCgroup", in: config)
                        == "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]")
            }
        }

        let second = try ClusterPlay.play("prep/site.yml")
        #expect(second.status == 0, "\(second.out)\n\(second.err)")
        #expect(ClusterPlay.changed(second) == 0, "\(second.out)")
    }
}
