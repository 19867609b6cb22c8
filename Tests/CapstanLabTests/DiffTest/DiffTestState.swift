import CapstanTestSupport
import Foundation

@testable import CapstanBasics
@testable import CapstanExecution

/// What a node looks like after a pass, in lines that compare as text: every path under the
/// folders and files the corpus touches (type, mode, owner, group, link target), each regular
/// file's SHA-256, and a few live states a file tree does not show (hostname, units, a sysctl,
/// installed test packages, the keys in the apt keyring). Collected with ONE command per node.
enum DiffTestState {
    /// The folders and files the corpus changes.
    static let paths = [
        "/srv/dt", "/srv/dt-pre", "/srv/dt-cmd", "/srv/dt-sys", "/srv/dt-c", "/etc/apt/sources.list.d",
        "/etc/apt/trusted.gpg.d/difftest.gpg", "/etc/sysctl.d", "/etc/modprobe.d", "/etc/modules-load.d",
        "/etc/systemd/system", "/usr/lib/systemd/system/dt-three.service", "/usr/share/capstan-test", "/home/dtuser",
        "/home/dtgone", "/mnt", "/etc/fstab",
        "/srv/dt-b", "/home/dtbkeys", "/etc/hostname", "/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow",
    ]

    static var command: String {
        let list = paths.joined(separator: " ")
        return """
            find \(list) -printf 'path %p %y %m %u %g %l\\n' 2>/dev/null | LC_ALL=C sort
            find \(list) -type f -exec sha256sum {} + 2>/dev/null | LC_ALL=C sort -k2 | sed 's/^/sha256 /'
            k=/etc/apt/trusted.gpg.d/difftest.gpg
            [ ! -f $k ] || GNUPGHOME=$(mktemp -d) gpg --batch --show-keys --with-colons $k 2>/dev/null | grep '^fpr' | sed "s|^|keyring $k |"
            grep ' /mnt/' /proc/mounts | sed 's/^/mounted /'
            echo "hostname $(hostname)"
            for u in dt-one dt-two dt-three; do
                echo "unit $u $(systemctl is-active $u.service 2>/dev/null) $(systemctl is-enabled $u.service 2>/dev/null)"
            done
            echo "sysctl net.ipv4.ip_forward $(cat /proc/sys/net/ipv4/ip_forward)"
            dpkg-query -W -f='package ${Package} ${Version} ${Status}\\n' capstan-test-hello capstan-test-extra \\
                capstan-test-needs capstan-test-dep 2>/dev/null
            apt-mark showauto 2>/dev/null | grep '^capstan-test' | sed 's/^/automatic /'
            true
            """
    }

    /// The node's state lines.
    static func collect(_ node: LabNodes.Node) throws -> [String] {
        let result = try LabNodes.exec(node, command)
        guard result.status == 0 else {
            throw LabNodes.LabError(message: "collecting \(node.name)'s state failed: \(result.output)")
        }
        return result.output.split(separator: "\n").map(String.init)
    }

    /// Files a tool fetched to the controller: relative path and SHA-256, one a line.
    static func fetched(_ directory: String) throws -> [String] {
        let result = try SpawnedProcess.run(
            "/bin/sh",
            [
                "-c",
                "cd \(ShellWords.quote(directory)) 2>/dev/null && find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2",
            ])
        return result.out.split(separator: "\n").map(String.init)
    }

    /// Lines only one side has, marked `-` (Ansible's node) and `+` (Capstan's), in order.
    static func difference(ansible: [String], capstan: [String]) -> [String] {
        let a = Set(ansible)
        let c = Set(capstan)
        return ansible.filter { !c.contains($0) }.map { "- " + $0 }
            + capstan.filter { !a.contains($0) }.map { "+ " + $0 }
    }
}
