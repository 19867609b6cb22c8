import Testing

@testable import CapstanBasics
@testable import CapstanCluster

/// The status table from kubectl's workload, pod and Service lists: which objects are whose,
/// replicas wanted and ready, finished Job pods left out, endpoints by Service type; a required
/// component without workloads is missing, one kubectl cannot list cannot be seen, and neither passes.
@Suite struct MLStatusTests {
    static func pod(_ name: String, _ ns: String, ready: Bool, phase: String = "Running", label: String? = nil) -> Value
    {
        var metadata: Value = ["name": .string(name), "namespace": .string(ns)]
        if let label, case .dict(var d) = metadata {
            d["labels"] = ["app.kubernetes.io/name": .string(label)]
            metadata = .dict(d)
        }
        return [
            "metadata": metadata,
            "status": [
                "phase": .string(phase), "conditions": [["type": "Ready", "status": ready ? "True" : "False"]],
            ],
        ]
    }

    static func deployment(_ name: String, _ ns: String, replicas: Int, ready: Int?) -> Value {
        var status: Value = [:]
        if let ready { status = ["readyReplicas": .int(ready)] }
        return [
            "kind": "Deployment", "metadata": ["name": .string(name), "namespace": .string(ns)],
            "spec": ["replicas": .int(replicas)], "status": status,
        ]
    }

    static func list(_ items: [Value]) -> MLStatus.Listing { .success(["items": .list(items)]) }

    /// Every required component of the catalogue with one ready Deployment.
    static var allReady: [Value] {
        [
            deployment("object-store", "capstan-ml", replicas: 1, ready: 1),
            deployment("workflow-controller", "argo", replicas: 1, ready: 1),
            deployment("argo-server", "argo", replicas: 1, ready: 1),
            deployment("training-operator", "kubeflow", replicas: 1, ready: 1),
            deployment("jupyter", "capstan-ml", replicas: 1, ready: 1),
            deployment("registry", "capstan-ml", replicas: 1, ready: 1),
        ]
    }

    static func rows(_ status: MLStatus) -> [String: MLStatus.Row] {
        Dictionary(uniqueKeysWithValues: status.rows.map { ($0.component, $0) })
    }

    @Test func rowsCountReplicasAndReadyPodsAndShowEndpoints() {
        let pods = Self.list([
            Self.pod("object-store-7d9f-abcde", "capstan-ml", ready: true),
            Self.pod("object-store-buckets-xyz", "capstan-ml", ready: false, phase: "Succeeded"),
            Self.pod("workflow-controller-1", "argo", ready: true),
            Self.pod("argo-server-2", "argo", ready: false),
            Self.pod("nb", "capstan-ml", ready: true, label: "jupyter"),
        ])
        let services = Self.list([
            [
                "metadata": ["name": "object-store", "namespace": "capstan-ml"],
                "spec": [
                    "type": "NodePort",
                    "ports": [["port": 9000, "nodePort": 30900], ["port": 9001, "nodePort": 30901]],
                ],
            ],
            [
                "metadata": ["name": "argo-server", "namespace": "argo"],
                "spec": ["type": "ClusterIP", "clusterIP": "10.96.0.9", "ports": [["port": 2746]]],
            ],
        ])
        var workloads = Self.allReady
        workloads[2] = Self.deployment("argo-server", "argo", replicas: 1, ready: nil)
        let status = MLStatus(
            components: MLComponent.catalogue(), workloads: Self.list(workloads), pods: pods, services: services,
            nodeAddress: "10.0.0.1")
        let rows = Self.rows(status)
        #expect(rows["object-store"]?.state == .ready && rows["object-store"]?.pods == "1/1")
        #expect(rows["object-store"]?.endpoint == "NodePort 10.0.0.1:30900,30901")
        #expect(rows["argo-workflows"]?.ready == 1 && rows["argo-workflows"]?.desired == 2)
        #expect(rows["argo-workflows"]?.state == .unready("1 of 2 replicas ready"))
        #expect(rows["argo-workflows"]?.pods == "1/2")
        #expect(rows["argo-workflows"]?.endpoint == "ClusterIP 10.96.0.9:2746")
        #expect(rows["registry"]?.state == .ready && rows["registry"]?.endpoint == "-")
        #expect(rows["trainer-v2"]?.state == .notInstalled && rows["trainer-v2"]?.healthy == true)
        #expect(status.failing == ["argo-workflows"] && !status.healthy)
        let lines = status.table.split(separator: "\n")
        #expect(lines.first?.hasPrefix("COMPONENT") == true && lines.count == status.rows.count + 1)
        #expect(lines.contains { $0.hasPrefix("object-store ") && $0.contains(" 1/1 ") && $0.hasSuffix(" ready") })
        #expect(lines.contains { $0.hasPrefix("argo-workflows ") && $0.hasSuffix("NOT READY: 1 of 2 replicas ready") })
    }

    @Test func everyRequiredComponentReadyIsHealthy() {
        let status = MLStatus(
            components: MLComponent.catalogue(), workloads: Self.list(Self.allReady), pods: Self.list([]),
            services: Self.list([]), nodeAddress: "10.0.0.1")
        #expect(status.healthy, "\(status.table)")
    }

    /// What `ml up` on the kube doubles leaves: the API has no workloads. Before, every component was
    /// "0/0 not installed" and the command exited 0.
    @Test func noWorkloadsIsMissingNotNotInstalled() {
        let status = MLStatus(
            components: MLComponent.catalogue(), workloads: Self.list([]), pods: Self.list([]),
            services: Self.list([]), nodeAddress: "10.0.0.1")
        let rows = Self.rows(status)
        #expect(rows["jupyter"]?.state == .missing && rows["object-store"]?.state == .missing)
        #expect(rows["nvidia-device-plugin"]?.state == .notInstalled)
        #expect(
            Set(status.failing) == ["object-store", "argo-workflows", "training-operator", "jupyter", "registry"])
        #expect(status.table.contains("MISSING: no Deployment, StatefulSet or DaemonSet"))
    }

    /// "Installed" used to mean "has pods": a Deployment whose pods never came passed.
    @Test func aDeploymentWithoutPodsIsNotReady() {
        var workloads = Self.allReady
        workloads[4] = Self.deployment("jupyter", "capstan-ml", replicas: 1, ready: nil)
        workloads.append(Self.deployment("registry-cache", "capstan-ml", replicas: 0, ready: nil))
        let status = MLStatus(
            components: MLComponent.catalogue(), workloads: Self.list(workloads), pods: Self.list([]),
            services: Self.list([]), nodeAddress: "10.0.0.1")
        let rows = Self.rows(status)
        #expect(rows["jupyter"]?.state == .unready("0 of 1 replicas ready") && rows["jupyter"]?.pods == "0/0")
        #expect(rows["registry"]?.state == .unready("Deployment registry-cache wants 0 replicas"))
        #expect(status.failing == ["jupyter", "registry"])
    }

    @Test func daemonSetsCountTheirScheduledPods() {
        let plugin: Value = [
            "kind": "DaemonSet", "metadata": ["name": "nvidia-device-plugin-ds", "namespace": "kube-system"],
            "status": ["desiredNumberScheduled": 2, "numberReady": 1],
        ]
        let status = MLStatus(
            components: MLComponent.catalogue(), workloads: Self.list(Self.allReady + [plugin]),
            pods: Self.list([]), services: Self.list([]), nodeAddress: "10.0.0.1")
        #expect(Self.rows(status)["nvidia-device-plugin"]?.state == .unready("1 of 2 replicas ready"))
    }

    @Test func whatKubectlCannotListIsCannotSee() {
        let refused = KubectlError("kubectl get failed (exit 1) on cp: The connection to the server was refused")
        let status = MLStatus(
            components: MLComponent.catalogue(), workloads: .failure(refused), pods: .failure(refused),
            services: .failure(refused), nodeAddress: "10.0.0.1")
        #expect(status.rows.allSatisfy { $0.state == .cannotSee(refused.description) && $0.pods == "?" })
        #expect(!status.healthy && status.failing.count == status.rows.count)
        #expect(!status.table.contains("not installed") && status.table.contains("CANNOT SEE: kubectl get failed"))
    }
}
