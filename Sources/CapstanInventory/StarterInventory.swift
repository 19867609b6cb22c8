import Foundation

/// The files `capstan init` writes: a commented Ansible inventory (INI) with N control planes and M
/// workers in Kubespray's current groups, and a `group_vars/all.yml` listing the main variables, as
/// `k0sctl init` and `kk create config` start a project.
public struct StarterInventory: Sendable {
    /// How many hosts go to `kube_control_plane` (the first runs `kubeadm init`).
    public var controlPlanes: Int
    /// How many hosts go to `kube_node`.
    public var workers: Int
    /// The hosts' addresses, control planes first; missing ones are documentation placeholders
    /// (192.0.2.0/24, TEST-NET-1, which never routes).
    public var addresses: [String]
    /// `ansible_user` for every host.
    public var user: String
    /// `ansible_ssh_private_key_file` for every host.
    public var privateKey: String

    /// A starter for `controlPlanes` and `workers` hosts, root over `~/.ssh/id_ed25519` by default.
    public init(
        controlPlanes: Int, workers: Int, addresses: [String] = [], user: String = "root",
        privateKey: String = "~/.ssh/id_ed25519"
    ) {
        self.controlPlanes = controlPlanes
        self.workers = workers
        self.addresses = addresses
        self.user = user
        self.privateKey = privateKey
    }

    /// The starter cannot be written as asked.
    public struct Problem: Error, CustomStringConvertible {
        /// What is wrong, in a sentence.
        public var description: String
    }

    /// Largest host count accepted: a starter is edited by hand.
    public static let maximumHosts = 1000

    /// Files to write, relative to the project folder: `hosts.ini`, `group_vars/all.yml`.
    public func files() throws -> [(path: String, text: String)] {
        guard controlPlanes >= 1 else { throw Problem(description: "a cluster needs at least one control plane") }
        guard workers >= 0, controlPlanes + workers <= Self.maximumHosts else {
            throw Problem(description: "between 1 and \(Self.maximumHosts) hosts, workers 0 or more")
        }
        guard addresses.count <= controlPlanes + workers else {
            throw Problem(
                description: "\(addresses.count) addresses for \(controlPlanes + workers) hosts (control planes first)")
        }
        for address in addresses where address.isEmpty || address.contains(where: { $0.isWhitespace || $0 == "#" }) {
            throw Problem(description: "'\(address)' is not a host address")
        }
        return [("hosts.ini", inventory()), ("group_vars/all.yml", Self.groupVars)]
    }

    private func address(_ index: Int) -> String {
        index < addresses.count ? addresses[index] : "192.0.2.\(10 + index)"
    }

    private func hostLine(_ name: String, _ index: Int) -> String {
        "\(name) ansible_host=\(address(index)) ip=\(address(index))"
    }

    private func inventory() -> String {
        let placeholders = addresses.count < controlPlanes + workers
        var lines = [
            "# Capstan inventory, written by `capstan init`: an Ansible inventory (ansible-inventory reads it too).",
            placeholders
                ? "# Replace the 192.0.2.x placeholders with your machines' addresses (ansible_host: where SSH goes;"
                : "# ansible_host is where SSH goes;",
            "# ip: the address Kubernetes uses on the node), then:",
            "#   capstan ping -i hosts.ini",
            "#   capstan cluster up -i hosts.ini",
            "",
            "# How every host is reached: user and key (see also ansible_port, ansible_become).",
            "[all:vars]",
            "ansible_user=\(user)",
            "ansible_ssh_private_key_file=\(privateKey)",
            "",
            "# Control planes: the first runs `kubeadm init`, the others join it. An odd count (1, 3, 5) keeps",
            "# etcd's quorum.",
            "[kube_control_plane]",
        ]
        for i in 0..<controlPlanes { lines.append(hostLine("control-plane-\(i + 1)", i)) }
        lines += ["", "# Workers: they run the workloads.", "[kube_node]"]
        for i in 0..<workers { lines.append(hostLine("worker-\(i + 1)", controlPlanes + i)) }
        lines += [
            "", "# Every node of the cluster.", "[k8s_cluster:children]", "kube_control_plane", "kube_node", "",
        ]
        return lines.joined(separator: "\n")
    }

    /// The main variables, each commented out at its role's default.
    static let groupVars = """
        # Cluster-wide settings, written by `capstan init`. Every variable has a default in the role
        # that owns it (roles/<role>/defaults/main.yml documents it): uncomment a line to change it, or
        # pass `-e name=value`.

        # Name of the cluster; operator-side files (admin.conf, ...) go to artifacts/<cluster_name>/.
        cluster_name: capstan

        # Kubernetes minor installed from pkgs.k8s.io and upgraded one at a time (role kube-common).
        # kube_version: "1.31"

        # Pod and service networks (roles kube-common, control-plane).
        # kube_pod_subnet: 10.244.0.0/16
        # kube_service_subnet: 10.96.0.0/12

        # Container runtime: containerd (Debian's package) or docker (Docker Engine + cri-dockerd).
        # container_runtime: containerd

        # Checks `capstan cluster up` may skip, like kubeadm's --ignore-preflight-errors (role preflight):
        # preflight_ignore: [swap]

        """

    /// Writes the files under `directory` (created if missing). Refuses, writing nothing, when one
    /// of them exists, unless `force`. Returns the paths written.
    public func write(to directory: String, force: Bool) throws -> [String] {
        let files = try files()
        let paths = files.map { (directory as NSString).appendingPathComponent($0.path) }
        let existing = paths.filter { FileManager.default.fileExists(atPath: $0) }
        if !force, !existing.isEmpty {
            throw Problem(
                description:
                    "\(existing.joined(separator: ", ")) already \(existing.count == 1 ? "exists" : "exist"); nothing written (--force overwrites)"
            )
        }
        for (file, path) in zip(files, paths) {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try file.text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return paths
    }
}
