/// `capstan ml status`: each component's pods (ready of total) and the endpoint of its Service,
/// from one `kubectl get pods -A -o json` and one `kubectl get services -A -o json`.
public struct MLStatus: Sendable {
    /// One line of the table.
    public struct Row: Sendable, Equatable {
        public var component: String
        public var namespace: String
        public var ready: Int
        public var total: Int
        public var endpoint: String
        /// Installed (it has pods) and every pod ready.
        public var healthy: Bool { total > 0 && ready == total }
    }

    /// The rows, in catalogue order; components without pods are `not installed`.
    public var rows: [Row]

    /// Reads the cluster through `kubectl`; `nodeAddress` is shown for NodePorts.
    public static func read(
        _ kubectl: Kubectl, components: [MLComponent] = MLComponent.catalogue(), nodeAddress: String
    ) async throws -> MLStatus {
        let pods = try await kubectl.json(["get", "pods", "--all-namespaces", "-o", "json"])
        let services = try await kubectl.json(["get", "services", "--all-namespaces", "-o", "json"])
        return MLStatus(components: components, pods: pods, services: services, nodeAddress: nodeAddress)
    }

    /// The status of `components` given the two lists kubectl returned.
    public init(components: [MLComponent], pods: Value, services: Value, nodeAddress: String) {
        let podItems = pods["items"]?.listValue ?? []
        let serviceItems = services["items"]?.listValue ?? []
        rows = components.map { component in
            // Finished pods (the bucket Job's) are not part of the running component.
            let mine = podItems.filter {
                component.owns($0) && !["Succeeded", "Failed"].contains($0["status"]?["phase"]?.stringValue ?? "")
            }
            let ready = mine.filter(Self.isReady).count
            var endpoint = mine.isEmpty ? "not installed" : "-"
            if !mine.isEmpty, let name = component.service,
                let service = serviceItems.first(where: {
                    $0["metadata"]?["name"]?.stringValue == name
                        && $0["metadata"]?["namespace"]?.stringValue == component.namespace
                })
            {
                endpoint = Self.endpoint(service, nodeAddress: nodeAddress)
            }
            return Row(
                component: component.name, namespace: component.namespace, ready: ready, total: mine.count,
                endpoint: endpoint)
        }
    }

    static func isReady(_ pod: Value) -> Bool {
        (pod["status"]?["conditions"]?.listValue ?? []).contains {
            $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
        }
    }

    static func int(_ v: Value?) -> Int? {
        if case .int(let n)? = v { return n }
        return nil
    }

    /// `NodePort 10.0.0.1:30900,30901` or `ClusterIP 10.96.0.5:2746`.
    static func endpoint(_ service: Value, nodeAddress: String) -> String {
        let spec = service["spec"]
        let ports = spec?["ports"]?.listValue ?? []
        if spec?["type"]?.stringValue == "NodePort" {
            let nodePorts = ports.compactMap { Self.int($0["nodePort"]) }.map(String.init)
            return "NodePort \(nodeAddress):\(nodePorts.joined(separator: ","))"
        }
        let ip = spec?["clusterIP"]?.stringValue ?? "-"
        let numbers = ports.compactMap { Self.int($0["port"]) }.map(String.init)
        return "ClusterIP \(ip):\(numbers.joined(separator: ","))"
    }

    /// The table: component, namespace, pods ready/total, endpoint.
    public var table: String {
        TextTable(
            header: ["COMPONENT", "NAMESPACE", "PODS", "ENDPOINT"],
            rows: rows.map { [$0.component, $0.namespace, "\($0.ready)/\($0.total)", $0.endpoint] }
        ).text
    }
}
