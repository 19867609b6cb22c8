import Testing

@testable import CapstanEngine

/// The status table from kubectl's pod and Service lists: which pods are whose, ready counts,
/// finished Job pods left out, endpoints by Service type.
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

    @Test func rowsCountReadyPodsAndShowEndpoints() {
        let pods: Value = [
            "items": [
                Self.pod("object-store-7d9f-abcde", "capstan-ml", ready: true),
                Self.pod("object-store-buckets-xyz", "capstan-ml", ready: false, phase: "Succeeded"),
                Self.pod("workflow-controller-1", "argo", ready: true),
                Self.pod("argo-server-2", "argo", ready: false),
                Self.pod("nb", "capstan-ml", ready: true, label: "jupyter"),
            ]
        ]
        let services: Value = [
            "items": [
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
            ]
        ]
        let status = MLStatus(
            components: MLComponent.catalogue(), pods: pods, services: services, nodeAddress: "10.0.0.1")
        let rows = Dictionary(uniqueKeysWithValues: status.rows.map { ($0.component, $0) })
        #expect(rows["object-store"]?.ready == 1 && rows["object-store"]?.total == 1)
        #expect(rows["object-store"]?.endpoint == "NodePort 10.0.0.1:30900,30901")
        #expect(rows["argo-workflows"]?.ready == 1 && rows["argo-workflows"]?.total == 2)
        #expect(rows["argo-workflows"]?.endpoint == "ClusterIP 10.96.0.9:2746")
        #expect(rows["argo-workflows"]?.healthy == false)
        #expect(rows["jupyter"]?.total == 1)
        #expect(rows["registry"]?.endpoint == "not installed" && rows["registry"]?.total == 0)
        let lines = status.table.split(separator: "\n")
        #expect(lines.first?.hasPrefix("COMPONENT") == true && lines.count == status.rows.count + 1)
        #expect(lines.contains { $0.hasPrefix("object-store ") && $0.contains(" 1/1 ") })
    }
}
