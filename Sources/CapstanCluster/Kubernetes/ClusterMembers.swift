import CapstanBasics
import CapstanInventory

/// The Kubernetes nodes an inventory declares, read the way playbooks/groups.yml normalises them:
/// control planes from `kube_control_plane` (or `kube-master`), workers from `kube_node` (or
/// `kube-node`), and any other member of `k8s_cluster` (or `k8s-cluster`). Nothing is contacted.
public struct ClusterMembers: Sendable {
    /// One node: its inventory name, its roles (`control-plane`, `worker`) and its address.
    public struct Node: Sendable, Equatable {
        public var name: String
        public var roles: [String]
        public var address: String
    }

    /// The nodes, control planes first, in inventory order.
    public var nodes: [Node]
    /// The API server's URL: `kube_control_plane_endpoint` when set, else the first control plane's
    /// address and `kube_apiserver_port` (6443).
    public var apiEndpoint: String?

    static let controlPlane = ["kube_control_plane", "kube-master"]
    static let workers = ["kube_node", "kube-node"]
    static let cluster = ["k8s_cluster", "k8s-cluster"]

    /// The members of `inventory`, only those `limit` selects when given.
    public init(_ inventory: Inventory, limit: String? = nil) throws {
        var warnings: [Warning] = []
        func members(_ groups: [String]) throws -> [String] {
            var names: [String] = []
            for group in groups where inventory.group(named: group) != nil {
                for host in try inventory.hosts(matching: group, warnings: &warnings) where !names.contains(host.name) {
                    names.append(host.name)
                }
            }
            return names
        }
        let planes = try members(Self.controlPlane)
        let workers = try members(Self.workers)
        let others = try members(Self.cluster)
        var selected: Set<String>?
        if let limit {
            selected = Set(try inventory.hosts(matching: "all", limit: limit, warnings: &warnings).map(\.name))
        }
        var order: [String] = []
        for name in planes + workers + others where !order.contains(name) { order.append(name) }
        nodes = order.filter { selected?.contains($0) ?? true }.map { name in
            var roles: [String] = []
            if planes.contains(name) { roles.append("control-plane") }
            if workers.contains(name) || !planes.contains(name) { roles.append("worker") }
            return Node(name: name, roles: roles, address: Self.address(inventory, name))
        }
        apiEndpoint = planes.first.map { first in
            let vars = inventory.variables(for: Host(name: first))
            if let endpoint = vars["kube_control_plane_endpoint"]?.stringValue, !endpoint.isEmpty,
                !endpoint.contains("{{")
            {
                return "https://" + endpoint
            }
            let port = vars["kube_apiserver_port"].map { $0.pythonString } ?? "6443"
            return "https://\(Self.address(inventory, first)):\(port)"
        }
    }

    /// `ip`, else `ansible_host`, else the inventory name.
    static func address(_ inventory: Inventory, _ name: String) -> String {
        let vars = inventory.variables(for: Host(name: name))
        return vars["ip"]?.stringValue ?? vars["ansible_host"]?.stringValue ?? name
    }
}
