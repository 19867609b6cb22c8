import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanModules

/// `capstan ml up|status|check` on three lab nodes against the kubectl TEST DOUBLE
/// (Tests/doubles/kubectl, installed as each node's /usr/local/bin/kubectl): no cluster runs, the
/// double records every call. These tests assert what is applied and in what order, that generated
/// credentials are stored (0600 in a 0700 folder) and reused, that containerd on every node trusts
/// the registry, and that no secret reaches the output, the journal or kubectl's command lines.
@Suite(.serialized) struct MLLabTests {
    static let doubleDir = "/var/lib/kubectl-double"
    static let adminConf = "/etc/kubernetes/admin.conf"

    /// A fresh double on every node, an inventory in the seeds' shape (kube-master, kube-node), a work folder.
    func prepare() throws -> (work: URL, inventory: String) {
        let nodes = try LabNodes.up(3)
        let double = Fixtures.packageRoot.appendingPathComponent("Tests/doubles/kubectl").path
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-ml-lab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let script = try String(contentsOfFile: double, encoding: .utf8)
        for node in nodes {
            try Self.write(node, script, to: "/usr/local/bin/kubectl", mode: "0755")
            _ = try LabNodes.exec(node, "rm -rf \(Self.doubleDir) /etc/capstan /etc/containerd/certs.d")
        }
        // The roles stop on a control plane without kubeadm's admin kubeconfig; the double reads none.
        try Self.write(nodes[0], "# kubeconfig of the kubectl TEST DOUBLE\n", to: Self.adminConf, mode: "0600")
        let lab = try String(contentsOfFile: LabNodes.inventoryPath, encoding: .utf8)
        let hostLines = lab.split(separator: "\n").filter { $0.hasPrefix("node-0") }.prefix(3)
        let varsStart = lab.range(of: "[all:vars]").map { String(lab[$0.lowerBound...]) } ?? ""
        let inventory =
            "[kube-master]\n\(hostLines[0])\n\n[kube-node]\n"
            + hostLines.dropFirst().joined(separator: "\n") + "\n\n" + varsStart
        let path = work.appendingPathComponent("hosts.ini").path
        try inventory.write(toFile: path, atomically: true, encoding: .utf8)
        return (work, path)
    }

    /// Takes the double and what the ML layer wrote off the nodes again, so that later suites
    /// (the cluster tests install their own kubectl in /usr/bin) see the nodes as they were.
    func cleanUp(_ work: URL) {
        try? FileManager.default.removeItem(at: work)
        for node in (try? LabNodes.up(3)) ?? [] {
            _ = try? LabNodes.exec(
                node,
                "rm -rf /usr/local/bin/kubectl \(Self.doubleDir) /etc/capstan /etc/containerd/certs.d \(Self.adminConf)"
            )
        }
    }

    /// Writes `text` to `path` on `node` (through base64, so any bytes survive the command line).
    static func write(_ node: LabNodes.Node, _ text: String, to path: String, mode: String) throws {
        let encoded = Data(text.utf8).base64EncodedString()
        let result = try LabNodes.exec(
            node, "mkdir -p \"$(dirname \(path))\" && echo \(encoded) | base64 -d > \(path) && chmod \(mode) \(path)")
        guard result.status == 0 else { throw LabNodes.LabError(message: "writing \(path): \(result.output)") }
    }

    func up(_ work: URL, _ inventory: String, _ extra: [String] = []) throws -> (
        status: Int32, out: String, err: String, seconds: Double
    ) {
        try CapstanBinary.run(
            [
                "ml", "up", "-i", inventory, "--playbooks-dir",
                Fixtures.packageRoot.appendingPathComponent("playbooks").path,
                "--journal", work.appendingPathComponent("journal.sqlite").path,
                "-e", "capstan_artifacts_dir=" + work.appendingPathComponent("artifacts/capstan").path,
            ] + extra)
    }

    func log(_ node: Int = 1) throws -> String {
        try LabNodes.exec(try LabNodes.up(3)[node - 1], "cat \(Self.doubleDir)/log 2>/dev/null || true").output
    }

    func secrets(_ work: URL) throws -> [String] {
        var values: [String] = []
        for file in ["object-store.json", "registry.json", "jupyter.json"] {
            let json = try Value(
                jsonText: String(contentsOf: work.appendingPathComponent("artifacts/capstan/" + file), encoding: .utf8))
            for key in ["access_key", "secret_key", "password", "token"] {
                if let v = json[key]?.stringValue { values.append(v) }
            }
        }
        return values
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test func upAppliesInOrderKeepsSecretsAndReusesThem() throws {
        let (work, inventory) = try prepare()
        defer { cleanUp(work) }
        let first = try up(work, inventory)
        #expect(first.status == 0, "\(first.out)\(first.err)")
        let calls = try log().split(separator: "\n").filter { $0.hasPrefix("argv:") }.map(String.init)
        // The order the layer must come up in: namespaces, storage, object store (Secret first, the
        // buckets once it is available), Argo and its artifact repository, the training operator,
        // Jupyter, the registry.
        let markers = [
            "apply -f /etc/capstan/ml/namespaces.yaml", "get storageclass",
            "apply -f https://raw.githubusercontent.com/rancher/local-path-provisioner/v0.0.31/deploy/local-path-storage.yaml",
            "annotate --overwrite storageclass local-path", "apply -f /etc/capstan/ml/object-store-secret.yaml",
            "apply -f /etc/capstan/ml/object-store-service.yaml", "apply -f /etc/capstan/ml/object-store.yaml",
            "wait --for=condition=Available deployment/object-store",
            "apply -f /etc/capstan/ml/object-store-buckets.yaml",
            "wait --for=condition=Complete job/object-store-buckets",
            "create namespace argo",
            "apply -n argo -f https://github.com/argoproj/argo-workflows/releases/download/v3.6.15/install.yaml",
            "apply -f /etc/capstan/ml/argo-artifacts.yaml",
            "wait --for=condition=Available deployment/workflow-controller",
            "apply --server-side -k github.com/kubeflow/training-operator.git/manifests/overlays/standalone?ref=v1.8.1",
            "apply -f /etc/capstan/ml/jupyter-secret.yaml", "apply -f /etc/capstan/ml/jupyter.yaml",
            "apply -f /etc/capstan/ml/registry-secrets.yaml", "apply -f /etc/capstan/ml/registry.yaml",
        ]
        var last = -1
        for marker in markers {
            let index = calls.firstIndex { $0.contains(marker) }
            #expect(index != nil, "never called: \(marker)")
            if let index {
                #expect(index > last, "out of order: \(marker)")
                last = index
            }
        }
        #expect(calls.allSatisfy { $0.contains("--kubeconfig /etc/kubernetes/admin.conf") })
        // The same calls, in the same order, as ansible-playbook makes running ml.yml against the
        // same double (Tests/oracles/ml-up-calls-expected.sh).
        let oracle = try Fixtures.text("ml/expected/ml-up.calls.txt").split(separator: "\n").map(String.init)
        #expect(calls == oracle)
        // KFP, Trainer v2 and the GPU plugin are off by default / without GPUs.
        #expect(!calls.contains { $0.contains("kubeflow/pipelines") || $0.contains("kubeflow/trainer") })
        #expect(!calls.contains { $0.contains("nvidia") })
        // What went to kubectl in the files applied (the double logs a file's text as `stdin:`).
        let text = try log()
        for line in [
            "stdin:   name: artifact-repositories",
            "stdin:     workflows.argoproj.io/default-artifact-repository: capstan-object-store",
            "stdin:   name: capstan-registry-pull", "stdin: type: kubernetes.io/dockerconfigjson",
            "stdin:           image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z",
            "stdin:       nodePort: 30900",
        ] {
            #expect(text.contains(line + "\n"), "not applied: \(line)")
        }
        // Credentials: generated, stored for the operator only, never shown or passed as arguments.
        let artifacts = work.appendingPathComponent("artifacts/capstan").path
        #expect(try mode(artifacts + "/secrets") == 0o700)
        for file in ["object-store.json", "registry.json", "jupyter.json"] {
            #expect(try mode(artifacts + "/" + file) == 0o600, "\(file)")
        }
        let values = try secrets(work)
        #expect(values.count == 4 && values.allSatisfy { $0.count >= 20 })
        let journal = String(
            decoding: try Data(contentsOf: work.appendingPathComponent("journal.sqlite")), as: UTF8.self)
        for value in values {
            #expect(!first.out.contains(value) && !first.err.contains(value), "a secret in capstan's output")
            #expect(!calls.contains { $0.contains(value) }, "a secret on kubectl's command line")
            #expect(!journal.contains(value), "a secret in the journal")
        }
        let secretFile = try LabNodes.exec(
            try LabNodes.up(3)[0], "stat -c %a /etc/capstan/ml /etc/capstan/ml/object-store-secret.yaml"
        ).output
        #expect(secretFile.split(separator: "\n") == ["700", "600"])

        // containerd on every node trusts the registry on the first control plane's NodePort.
        let registry = try Value(
            jsonText: String(contentsOfFile: artifacts + "/registry.json", encoding: .utf8))["endpoint"]?.stringValue
        #expect(registry == "\(LabNodes.subnet).11:30500")
        for node in try LabNodes.up(3) {
            let toml = try LabNodes.exec(node, "cat /etc/containerd/certs.d/\(registry ?? "")/hosts.toml").output
            #expect(toml.contains("[host.\"http://\(registry ?? "")\"]"), "\(node.name)")
        }

        // A second run reuses the credentials and changes nothing: the default StorageClass exists
        // now (the double reads its annotation back), and the training operator's overlay is applied
        // only when a server-side diff finds the cluster differs (a server-side apply says
        // `serverside-applied` whether or not anything changed).
        let second = try up(work, inventory)
        #expect(second.status == 0, "\(second.out)\(second.err)")
        #expect(try secrets(work) == values)
        let again = try log().components(separatedBy: "argv:").count - 1
        #expect(again > calls.count)
        let recap = second.out.split(separator: "\n").filter { $0.contains("changed=") }
        #expect(recap.count == 3 && recap.allSatisfy { $0.contains(" changed=0 ") }, "\(recap)")
        let secondCalls = try log().split(separator: "\n").filter { $0.hasPrefix("argv:") }.dropFirst(calls.count)
        #expect(!secondCalls.contains { $0.contains("delete job/object-store-buckets") }, "the bucket Job is kept")
    }

    @Test func seaweedfsTakesTheSameSecretAndService() throws {
        let (work, inventory) = try prepare()
        defer { cleanUp(work) }
        let run = try up(
            work, inventory,
            [
                "-e", "object_store=seaweedfs", "-e", "argo_enabled=false", "-e", "jupyter_enabled=false",
                "-e", "registry_enabled=false", "-e", "training_operator_enabled=false",
            ])
        #expect(run.status == 0, "\(run.out)\(run.err)")
        let node = try LabNodes.up(3)[0]
        let deployment = try LabNodes.exec(node, "cat /etc/capstan/ml/object-store.yaml").output
        #expect(deployment.contains("image: chrislusf/seaweedfs:3.85"))
        #expect(deployment.contains("name: capstan-object-store") && !deployment.contains("MINIO_ROOT_USER"))
        let calls = try log()
        #expect(!calls.contains("argo-workflows") && !calls.contains("registry.yaml") && !calls.contains("jupyter"))
        #expect(!FileManager.default.fileExists(atPath: work.path + "/artifacts/capstan/registry.json"))
    }

    /// Kubeflow Pipelines replaces Argo's controller (its own is used; the artifact repository is
    /// still made), Trainer v2 is applied on 1.31 and refused on 1.29, and nodes with NVIDIA GPUs
    /// (here every node, by an extra variable standing in for the facts) are labelled and get the
    /// device plugin.
    @Test func pipelinesTrainerAndGPUs() throws {
        let (work, inventory) = try prepare()
        defer { cleanUp(work) }
        let gpus = #"{"capstan_nvidia_gpus": [{"vendor": "nvidia", "model": "test GPU"}]}"#
        let run = try up(
            work, inventory,
            [
                "-e", "kfp_enabled=true", "-e", "trainer_v2_enabled=true", "-e", gpus, "-e", "jupyter_enabled=false",
                "-e", "registry_enabled=false",
            ])
        #expect(run.status == 0, "\(run.out)\(run.err)")
        let calls = try log().split(separator: "\n").filter { $0.hasPrefix("argv:") }.map(String.init)
        #expect(!calls.contains { $0.contains("argo-workflows/releases") || $0.contains("create namespace argo") })
        #expect(calls.contains { $0.contains("apply -f /etc/capstan/ml/argo-artifacts.yaml") })
        let kfp = [
            "apply --server-side -k github.com/kubeflow/pipelines/manifests/kustomize/cluster-scoped-resources?ref=2.14.3",
            "wait --for=condition=established --timeout=60s crd/applications.app.k8s.io",
            "apply --server-side -k github.com/kubeflow/pipelines/manifests/kustomize/env/platform-agnostic?ref=2.14.3",
            "apply --server-side -k https://github.com/kubeflow/trainer.git/manifests/overlays/manager?ref=v2.1.0",
            "label node node-01 --overwrite nvidia.com/gpu.present=true capstan.io/gpu-vendor=nvidia capstan.io/gpu-count=1",
            "label node node-03", "apply -f /etc/capstan/ml/nvidia-device-plugin.yaml",
        ]
        for marker in kfp { #expect(calls.contains { $0.contains(marker) }, "never called: \(marker)") }
        let plugin = try LabNodes.exec(try LabNodes.up(3)[0], "cat /etc/capstan/ml/nvidia-device-plugin.yaml").output
        #expect(plugin.contains("nvidia.com/gpu.present: \"true\""))

        // An older cluster: Trainer v2 is refused with the reason, before anything of it is applied.
        try Self.write(try LabNodes.up(3)[0], "v1.29.4", to: Self.doubleDir + "/version", mode: "0644")
        let old = try up(work, inventory, ["-e", "trainer_v2_enabled=true", "-e", "training_operator_enabled=false"])
        #expect(old.status == 2)
        #expect(old.out.contains("Kubeflow Trainer v2 needs Kubernetes >= 1.31; this cluster runs v1.29.4"))
        _ = try LabNodes.exec(try LabNodes.up(3)[0], "rm -f \(Self.doubleDir)/version")
    }

    @Test func statusAndCheckReadTheClusterThroughKubectl() throws {
        let (work, inventory) = try prepare()
        defer { cleanUp(work) }
        let node = try LabNodes.up(3)[0]
        let responses = Self.doubleDir + "/responses"
        let pods =
            #"{"items":[{"metadata":{"name":"object-store-5c-x","namespace":"capstan-ml"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}},{"metadata":{"name":"jupyter-7-y","namespace":"capstan-ml"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"False"}]}}]}"#
        let services =
            #"{"items":[{"metadata":{"name":"object-store","namespace":"capstan-ml"},"spec":{"type":"NodePort","ports":[{"port":9000,"nodePort":30900}]}}]}"#
        try Self.write(node, pods, to: responses + "/get-pods", mode: "0644")
        try Self.write(node, services, to: responses + "/get-services", mode: "0644")
        let workloads = [("object-store", 1), ("jupyter", 0)].map { name, ready in
            #"{"kind":"Deployment","metadata":{"name":"\#(name)","namespace":"capstan-ml"},"spec":{"replicas":1},"status":{"readyReplicas":\#(ready)}}"#
        }
        try Self.write(
            node, #"{"items":[\#(workloads.joined(separator: ","))]}"#,
            to: responses + "/get-deployments,statefulsets,daemonsets", mode: "0644")
        for kind in ["pytorchjob", "tfjob"] {
            try Self.write(
                node,
                #"{"kind":"x","metadata":{"name":"x"},"status":{"conditions":[{"type":"Succeeded","status":"True"}]}}"#,
                to: responses + "/get-" + kind, mode: "0644")
        }
        try Self.write(
            node, #"{"kind":"Workflow","metadata":{"name":"x"},"status":{"phase":"Succeeded"}}"#,
            to: responses + "/get-workflow", mode: "0644")
        for name in ["node-01", "node-02"] {
            try Self.write(
                node, "role=worker ready=1 schedulable=1 version=v1.31.0\n", to: Self.doubleDir + "/nodes/" + name,
                mode: "0644")
        }
        try Self.write(node, "10.244.1.7", to: responses + "/get-pod", mode: "0644")
        let status = try CapstanBinary.run(["ml", "status", "-i", inventory])
        #expect(status.status == 2, "jupyter is not ready, registry is missing: \(status.out)\(status.err)")
        let lines = status.out.split(separator: "\n")
        #expect(lines.first?.hasPrefix("COMPONENT") == true)
        #expect(
            lines.contains {
                $0.hasPrefix("object-store") && $0.contains("1/1")
                    && $0.contains("NodePort \(LabNodes.subnet).11:30900") && $0.hasSuffix(" ready")
            })
        #expect(lines.contains { $0.hasPrefix("jupyter") && $0.contains("0/1") && $0.contains("NOT READY") })
        #expect(lines.contains { $0.hasPrefix("registry") && $0.contains("MISSING") })

        let check = try CapstanBinary.run(["ml", "check", "-i", inventory])
        #expect(check.status == 0, "\(check.out)\(check.err)")
        for name in ["pytorchjob", "tfjob", "argo-artifact", "pod-ping"] {
            #expect(check.out.split(separator: "\n").contains { $0.hasPrefix(name) && $0.contains(" ok ") }, "\(name)")
        }
        let calls = try log()
        #expect(calls.contains("stdin: {\"apiVersion\": \"kubeflow.org/v1\", \"kind\": \"PyTorchJob\""))
        #expect(calls.contains("exec capstan-check-ping-a-"))
        // Each check deletes what it created.
        let left = try LabNodes.exec(node, "ls \(Self.doubleDir)/objects | grep capstan-check || true").output
        #expect(left.isEmpty || !left.contains("pytorchjob"), "\(left)")

        try Self.write(node, "tfjob/capstan-check-tf-\n", to: responses + "/wait-fail", mode: "0644")
        let failed = try CapstanBinary.run(["ml", "check", "-i", inventory])
        #expect(failed.status == 2, "\(failed.out)\(failed.err)")
        let rows = failed.out.split(separator: "\n")
        #expect(rows.contains { $0.hasPrefix("tfjob") && $0.contains("FAILED") && $0.contains("timed out") })
        #expect(rows.contains { $0.hasPrefix("pytorchjob") && $0.contains(" ok ") })
        #expect(try log().contains("delete tfjob/capstan-check-tf-"), "a failed job is deleted too")
        let unreachable = try CapstanBinary.run(["ml", "check", "-i", inventory, "--kubeconfig", "/nonexistent"])
        #expect(unreachable.status == 2, "kubectl missing here: every check fails")
        #expect(unreachable.out.contains("FAILED"))
    }
}
