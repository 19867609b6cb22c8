import CapstanBasics
import Collections

/// The objects `capstan ml check` creates: a two-replica PyTorchJob and TFJob that only print what
/// the training operator gave them, an Argo Workflow that passes an artifact through the object
/// store, and two pods pinned to two nodes. Small public images; every name carries `suffix` so
/// that concurrent checks do not collide.
public struct MLCheckManifests: Sendable {
    public var namespace: String
    public var suffix: String
    public var image: String
    /// The ServiceAccount workflows run as (roles/argo-workflows makes it).
    public var workflowServiceAccount: String

    /// The manifests for one check run.
    public init(
        namespace: String, suffix: String, image: String = "busybox:1.37",
        workflowServiceAccount: String = "argo-workflow"
    ) {
        self.namespace = namespace
        self.suffix = suffix
        self.image = image
        self.workflowServiceAccount = workflowServiceAccount
    }

    func metadata(_ name: String) -> Value {
        [
            "name": .string(name), "namespace": .string(namespace),
            "labels": ["app.kubernetes.io/part-of": "capstan-check"],
        ]
    }

    func container(_ name: String, _ script: String) -> Value {
        ["name": .string(name), "image": .string(image), "command": ["sh", "-c", .string(script)]]
    }

    func replica(_ count: Int, _ container: Value) -> Value {
        [
            "replicas": .int(count), "restartPolicy": "OnFailure",
            "template": ["spec": ["containers": [container]]],
        ]
    }

    /// `kubeflow.org/v1` PyTorchJob: a master and a worker print their rank and world size.
    public var pytorchJob: Value {
        let c = container("pytorch", "echo rank=$RANK world=$WORLD_SIZE master=$MASTER_ADDR")
        return [
            "apiVersion": "kubeflow.org/v1", "kind": "PyTorchJob",
            "metadata": metadata("capstan-check-pytorch-\(suffix)"),
            "spec": ["pytorchReplicaSpecs": ["Master": replica(1, c), "Worker": replica(1, c)]],
        ]
    }

    /// `kubeflow.org/v1` TFJob: two workers print the TF_CONFIG the operator wrote.
    public var tfJob: Value {
        let c = container("tensorflow", "echo \"$TF_CONFIG\"")
        return [
            "apiVersion": "kubeflow.org/v1", "kind": "TFJob", "metadata": metadata("capstan-check-tf-\(suffix)"),
            "spec": ["tfReplicaSpecs": ["Worker": replica(2, c)]],
        ]
    }

    /// The text the workflow writes and expects to read back.
    public var artifactText: String { "capstan artifact \(suffix)" }

    /// `argoproj.io/v1alpha1` Workflow: one step writes an output artifact (stored in the default
    /// artifact repository, the object store), the next gets it as an input and compares it.
    public var workflow: Value {
        let write: Value = [
            "name": "write",
            "container": container("main", "printf '%s' '\(artifactText)' > /tmp/artifact.txt"),
            "outputs": ["artifacts": [["name": "result", "path": "/tmp/artifact.txt"]]],
        ]
        let read: Value = [
            "name": "read",
            "inputs": ["artifacts": [["name": "result", "path": "/tmp/artifact.txt"]]],
            "container": container("main", "test \"$(cat /tmp/artifact.txt)\" = '\(artifactText)'"),
        ]
        let steps: Value = [
            "name": "main",
            "steps": [
                [["name": "write", "template": "write"]],
                [
                    [
                        "name": "read", "template": "read",
                        "arguments": [
                            "artifacts": [["name": "result", "from": "{{steps.write.outputs.artifacts.result}}"]]
                        ],
                    ]
                ],
            ],
        ]
        return [
            "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
            "metadata": metadata("capstan-check-artifact-\(suffix)"),
            "spec": [
                "entrypoint": "main", "serviceAccountName": .string(workflowServiceAccount),
                "templates": [steps, write, read],
            ],
        ]
    }

    /// A pod that sleeps on `node`, for the cross-node ping.
    public func pingPod(_ role: String, node: String) -> Value {
        [
            "apiVersion": "v1", "kind": "Pod", "metadata": metadata("capstan-check-ping-\(role)-\(suffix)"),
            "spec": [
                "nodeName": .string(node), "restartPolicy": "Never", "terminationGracePeriodSeconds": 1,
                "containers": [container("main", "sleep 600")],
            ],
        ]
    }
}
