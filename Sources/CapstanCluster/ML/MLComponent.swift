import CapstanBasics

/// One component of the ML layer as `capstan ml status` finds it in the cluster: which workloads
/// (Deployments, StatefulSets, DaemonSets), pods and Service are its, by namespace and by name or
/// label (the names the roles in `roles/` give them).
public struct MLComponent: Sendable, Equatable {
    /// The name shown in the table.
    public var name: String
    /// The namespace its workloads, pods and Service are in.
    public var namespace: String
    /// Workloads and pods whose name starts with one of these, or whose `app.kubernetes.io/name`
    /// label is one of them; empty: every one of the namespace.
    public var pods: [String]
    /// The Service whose endpoint is shown, if any.
    public var service: String?
    /// Off by default or installed only in some clusters: absent, it is reported and does not fail
    /// `ml status`.
    public var optional: Bool

    /// A component.
    public init(name: String, namespace: String, pods: [String] = [], service: String? = nil, optional: Bool = false) {
        self.name = name
        self.namespace = namespace
        self.pods = pods
        self.service = service
        self.optional = optional
    }

    /// The components `playbooks/ml.yml` can install, given the ML namespace. Those it installs with
    /// its defaults on every cluster are required; the local-path provisioner (only without another
    /// default StorageClass), Trainer v2 and Kubeflow Pipelines (off by default) and the NVIDIA device
    /// plugin (only with GPUs) are optional.
    public static func catalogue(mlNamespace: String = "capstan-ml") -> [MLComponent] {
        [
            MLComponent(name: "local-path-storage", namespace: "local-path-storage", optional: true),
            MLComponent(
                name: "object-store", namespace: mlNamespace, pods: ["object-store"], service: "object-store"),
            MLComponent(name: "argo-workflows", namespace: "argo", service: "argo-server"),
            MLComponent(
                name: "training-operator", namespace: "kubeflow", pods: ["training-operator"],
                service: "training-operator"),
            MLComponent(name: "trainer-v2", namespace: "kubeflow-system", optional: true),
            MLComponent(
                name: "kubeflow-pipelines", namespace: "kubeflow",
                pods: ["ml-pipeline", "workflow-controller", "minio", "mysql", "metadata", "cache"],
                service: "ml-pipeline-ui", optional: true),
            MLComponent(name: "jupyter", namespace: mlNamespace, pods: ["jupyter"], service: "jupyter"),
            MLComponent(name: "registry", namespace: mlNamespace, pods: ["registry"], service: "registry"),
            MLComponent(
                name: "nvidia-device-plugin", namespace: "kube-system", pods: ["nvidia-device-plugin"],
                optional: true),
        ]
    }

    /// Whether `object` (an item of `kubectl get pods|deployments|... -o json`) belongs to this component.
    func owns(_ object: Value) -> Bool {
        guard object["metadata"]?["namespace"]?.stringValue == namespace else { return false }
        if pods.isEmpty { return true }
        let name = object["metadata"]?["name"]?.stringValue ?? ""
        let label = object["metadata"]?["labels"]?["app.kubernetes.io/name"]?.stringValue
        return pods.contains { prefix in name.hasPrefix(prefix + "-") || name == prefix || label == prefix }
    }
}
