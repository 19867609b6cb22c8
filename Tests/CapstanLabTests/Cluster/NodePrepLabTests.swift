import Foundation
import Testing

/// node-prep and container-runtime for real on two lab nodes (real systemd, containerd from
/// Debian through the lab's apt proxy), then a second run that must change nothing. Limited to
/// node-01 and node-02: a shared test lab may have more nodes, in states other tests left.
@Suite(.serialized) struct NodePrepLabTests {
    /// Debian's archive as the host image lists it; the apt module tests leave nodes of a shared
    /// lab with other sources, so this test sets the ones a real Debian 12 node has.
    static let debianSources = """
        Types: deb
        URIs: http://deb.debian.org/debian
        Suites: bookworm bookworm-updates
        Components: main
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

        Types: deb
        URIs: http://deb.debian.org/debian-security
        Suites: bookworm-security
        Components: main
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
        """

    /// Puts the nodes back to a lab node's defaults, so a kept lab (CAPSTAN_LAB_KEEP=1) tests the
    /// first run again: swap line in fstab, forwarding off, no containerd, units as the lab masks
    /// them, Debian's apt sources with lists old enough for the role to update them.
    static func reset(_ nodes: [LabNodes.Node]) throws {
        for node in nodes {
            let r = try LabNodes.exec(
                node,
                """
                set -e
                mkdir -p /root/capstan-cluster-apt-hidden
                for f in /etc/apt/sources.list /etc/apt/sources.list.d/*; do
                    if [ -e "$f" ]; then mv "$f" /root/capstan-cluster-apt-hidden/; fi
                done
                printf '%s\n' '\(debianSources)' >/etc/apt/sources.list.d/debian.sources
                touch -d '2 hours ago' /var/lib/apt/lists
                rm -f /var/lib/apt/periodic/update-success-stamp
                sed -i '/capstan-test-swap/d' /etc/fstab
                printf '\n\t/capstan-test-swap none\tswap sw 0 0\n' >>/etc/fstab
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
        let first = try ClusterPlay.play("prep/site.yml", ["--limit", "node-01,node-02"])
        #expect(first.status == 0, "\(first.out)\n\(first.err)")
        #expect(ClusterPlay.changed(first) > 0)

        for node in nodes {
            let fstab = try LabNodes.exec(node, "grep capstan-test-swap /etc/fstab").output
            #expect(fstab == "# \t/capstan-test-swap none\tswap sw 0 0\n")
            #expect(try LabNodes.exec(node, "grep -c '^# *$' /etc/fstab").output == "0\n")
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
            // Where registry-trust puts its hosts.toml: it then has nothing to rewrite.
            #expect(config.contains("config_path = \"/etc/containerd/certs.d\""))
            #expect(!config.contains("config_path = \"\""))
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

        let second = try ClusterPlay.play("prep/site.yml", ["--limit", "node-01,node-02"])
        #expect(second.status == 0, "\(second.out)\n\(second.err)")
        #expect(ClusterPlay.changed(second) == 0, "\(second.out)")
    }
}
