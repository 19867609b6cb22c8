import CapstanBasics
import CapstanTransport

/// `capstan ml status`: for each component, whether its workloads (Deployments, StatefulSets,
/// DaemonSets) exist and have their wanted replicas ready, its pods (ready of total) and the
/// endpoint of its Service, from three lists kubectl returns. What kubectl cannot list is reported
/// as "cannot see", never as "not installed".
public struct MLStatus: Sendable {
    /// What a list kubectl was asked for came back as: its items, or why there are none to read.
    public typealias Listing = Result<Value, KubectlError>

    /// What `ml status` can say of one component.
    public enum State: Sendable, Equatable {
        /// Every workload has all the replicas it wants ready.
        case ready
        /// Its workloads exist but are not ready; why.
        case unready(String)
        /// A required component with no workload.
        case missing
        /// An optional component with no workload.
        case notInstalled
        /// The workloads could not be listed; kubectl's reason.
        case cannotSee(String)

        /// Ready, or optional and absent: nothing for the operator to fix.
        public var passes: Bool { self == .ready || self == .notInstalled }

        /// The table's STATE cell.
        public var text: String {
            switch self {
            case .ready: return "ready"
            case .unready(let why): return "NOT READY: \(why)"
            case .missing: return "MISSING: no Deployment, StatefulSet or DaemonSet"
            case .notInstalled: return "not installed (optional)"
            case .cannotSee(let why): return "CANNOT SEE: \(why)"
            }
        }
    }

    /// One line of the table.
    public struct Row: Sendable, Equatable {
        public var component: String
        public var namespace: String
        /// How many workloads are the component's.
        public var workloads: Int
        /// Replicas wanted (DaemonSets: pods to schedule) and ready, over its workloads.
        public var desired: Int
        public var ready: Int
        /// `ready/total` of its running pods, or `?` when pods could not be listed.
        public var pods: String
        public var endpoint: String
        public var state: State
        /// Nothing to fix: ready, or optional and absent.
        public var healthy: Bool { state.passes }
    }

    /// The rows, in catalogue order.
    public var rows: [Row]

    /// Every component ready, or optional and absent.
    public var healthy: Bool { rows.allSatisfy(\.healthy) }

    /// The components that are not healthy, by name.
    public var failing: [String] { rows.filter { !$0.healthy }.map(\.component) }

    /// Reads the cluster through `kubectl`; `nodeAddress` is shown for NodePorts. A list kubectl
    /// cannot give is carried as its reason, not thrown.
    public static func read(
        _ kubectl: Kubectl, components: [MLComponent] = MLComponent.catalogue(), nodeAddress: String
    ) async -> MLStatus {
        func list(_ resource: String) async -> Listing {
            let result: CommandResult
            do {
                result = try await kubectl.run(
                    ["get", resource, "--all-namespaces", "-o", "json"], timeout: .seconds(60))
            } catch {
                return .failure(KubectlError("kubectl get \(resource) could not run: \(error)"))
            }
            guard result.succeeded else {
                // kubectl's last line says why (the lines before it are often its client's logging).
                let last = result.stderrText.split(separator: "\n").last { !$0.allSatisfy(\.isWhitespace) }
                return .failure(
                    KubectlError(
                        "kubectl get \(resource) failed (exit \(result.returnCode))\(last.map { ": \($0)" } ?? "")"))
            }
            guard let value = try? Value(jsonText: result.stdoutText), value["items"]?.listValue != nil else {
                return .failure(KubectlError("kubectl get \(resource) printed no list of items"))
            }
            return .success(value)
        }
        let workloads = await list("deployments,statefulsets,daemonsets")
        let pods = await list("pods")
        let services = await list("services")
        return MLStatus(
            components: components, workloads: workloads, pods: pods, services: services, nodeAddress: nodeAddress)
    }

    /// The status of `components` given the three lists kubectl returned (or why it did not).
    public init(
        components: [MLComponent], workloads: Listing, pods: Listing, services: Listing, nodeAddress: String
    ) {
        rows = components.map { component in
            var row = Row(
                component: component.name, namespace: component.namespace, workloads: 0, desired: 0, ready: 0,
                pods: "?", endpoint: "?", state: .missing)
            switch workloads {
            case .failure(let error): row.state = .cannotSee(Self.oneLine(error.description))
            case .success(let list):
                let mine = (list["items"]?.listValue ?? []).filter(component.owns)
                row.workloads = mine.count
                for workload in mine {
                    let replicas = Self.replicas(workload)
                    row.desired += replicas.desired
                    row.ready += replicas.ready
                }
                row.state = Self.state(mine, desired: row.desired, ready: row.ready, optional: component.optional)
            }
            if case .success(let list) = pods {
                // Finished pods (the bucket Job's) are not part of the running component.
                let mine = (list["items"]?.listValue ?? []).filter {
                    component.owns($0) && !["Succeeded", "Failed"].contains($0["status"]?["phase"]?.stringValue ?? "")
                }
                row.pods = "\(mine.filter(Self.isReady).count)/\(mine.count)"
            }
            if case .success(let list) = services {
                row.endpoint = "-"
                if let name = component.service,
                    let service = (list["items"]?.listValue ?? []).first(where: {
                        $0["metadata"]?["name"]?.stringValue == name
                            && $0["metadata"]?["namespace"]?.stringValue == component.namespace
                    })
                {
                    row.endpoint = Self.endpoint(service, nodeAddress: nodeAddress)
                }
            }
            return row
        }
    }

    static func state(_ workloads: [Value], desired: Int, ready: Int, optional: Bool) -> State {
        if workloads.isEmpty { return optional ? .notInstalled : .missing }
        let scaledDown = workloads.filter { $0["kind"]?.stringValue != "DaemonSet" && replicas($0).desired == 0 }
        if let first = scaledDown.first {
            let kind = first["kind"]?.stringValue ?? "workload"
            return .unready("\(kind) \(first["metadata"]?["name"]?.stringValue ?? "") wants 0 replicas")
        }
        return ready >= desired ? .ready : .unready("\(ready) of \(desired) replicas ready")
    }

    /// Replicas wanted and ready: `spec.replicas` (1 when unset) and `status.readyReplicas` of a
    /// Deployment or StatefulSet, `status.desiredNumberScheduled` and `status.numberReady` of a DaemonSet.
    static func replicas(_ workload: Value) -> (desired: Int, ready: Int) {
        let status = workload["status"]
        if workload["kind"]?.stringValue == "DaemonSet" {
            return (int(status?["desiredNumberScheduled"]) ?? 0, int(status?["numberReady"]) ?? 0)
        }
        return (int(workload["spec"]?["replicas"]) ?? 1, int(status?["readyReplicas"]) ?? 0)
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

    static func oneLine(_ text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.count > 240 ? String(line.prefix(237)) + "..." : line
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

    /// The table: component, namespace, replicas ready/wanted, pods ready/total, endpoint, state.
    public var table: String {
        TextTable(
            header: ["COMPONENT", "NAMESPACE", "REPLICAS", "PODS", "ENDPOINT", "STATE"],
            rows: rows.map {
                let replicas: String
                if case .cannotSee = $0.state { replicas = "?" } else { replicas = "\($0.ready)/\($0.desired)" }
                return [$0.component, $0.namespace, replicas, $0.pods, $0.endpoint, $0.state.text]
            }
        ).text
    }
}
