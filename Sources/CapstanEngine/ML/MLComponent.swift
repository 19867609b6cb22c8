/// One component of the ML layer as `capstan ml status` finds it in the cluster: which pods and
/// Service are its, by namespace and by name or label (the names the roles in `roles/` give them).
public struct MLComponent: Sendable, Equatable {
    /// The name shown in the table.
    public var name: String
    /// The namespace its pods and Service are in.
    public var namespace: String
    /// Pods whose name starts with one of these, or whose `app.kubernetes.io/name` label is one
    /// of them; empty: every pod of the namespace.
    public var pods: [String]
    /// The Service whose endpoint is shown, if any.
    public var service: String?

    /// A component.
    public init(name: String, namespace: String, pods: [String] = [], service: String? = nil) {
        self.name = name
        self.namespace = namespace
        self.pods = pods
        self.service = service
    }

    /// The components `playbooks/ml.yml` installs with its defaults, given the ML namespace.
    public static func catalogue(mlNamespace: String = "capstan-ml") -> [MLComponent] {
        [
            MLComponent(name: "local-path-storage", namespace: "local-path-storage"),
            MLComponent(
                name: "object-store", namespace: mlNamespace, pods: ["object-store"], service: "object-store"),
            MLComponent(name: "argo-workflows", namespace: "argo", service: "argo-server"),
            MLComponent(
                name: "training-operator", namespace: "kubeflow", pods: ["training-operator"],
                service: "training-operator"),
            MLComponent(name: "trainer-v2", namespace: "kubeflow-system"),
            MLComponent(
                name: "kubeflow-pipelines", namespace: "kubeflow",
                pods: ["ml-pipeline", "workflow-controller", "minio", "mysql", "metadata", "cache"],
                service: "ml-pipeline-ui"),
            MLComponent(name: "jupyter", namespace: mlNamespace, pods: ["jupyter"], service: "jupyter"),
            MLComponent(name: "registry", namespace: mlNamespace, pods: ["registry"], service: "registry"),
            MLComponent(name: "nvidia-device-plugin", namespace: "kube-system", pods: ["nvidia-device-plugin"]),
        ]
    }

    /// Whether `pod` (an item of `kubectl get pods -o json`) belongs to this component.
    func owns(_ pod: Value) -> Bool {
        guard pod["metadata"]?["namespace"]?.stringValue == namespace else { return false }
        if pods.isEmpty { return true }
        let name = pod["metadata"]?["name"]?.stringValue ?? ""
        let label = pod["metadata"]?["labels"]?["app.kubernetes.io/name"]?.stringValue
        return pods.contains { prefix in name.hasPrefix(prefix + "-") || name == prefix || label == prefix }
    }
}
