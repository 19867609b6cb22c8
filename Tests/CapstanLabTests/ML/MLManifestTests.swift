import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanCluster

/// Every manifest the ML roles render, rendered by Capstan (`capstan play` on
/// Fixtures/ml/render.yml) equals what ansible-playbook renders (Tests/oracles/ml-manifests-expected.sh)
/// and validates with kubernetes-validate for three Kubernetes minors. CRD kinds (PyTorchJob, TFJob,
/// Workflow) have no schema in kubernetes-validate: they are checked structurally here.
@Suite(.serialized) struct MLManifestTests {
    static let minors = ["1.29.0", "1.31.0", "1.33.0"]
    static let validator = Fixtures.packageRoot.appendingPathComponent(".build/venv/bin/kubernetes-validate").path
    static let expected = Fixtures.url("ml/expected/manifests")

    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-ml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func capstanRendersWhatAnsibleRenders() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try CapstanBinary.run([
            "play", "-i", Fixtures.url("ml/inventory.ini").path, Fixtures.url("ml/render.yml").path,
            "-e", "roles_dir=" + Fixtures.packageRoot.appendingPathComponent("roles").path, "-e", "out=" + out.path,
        ])
        #expect(run.status == 0, "\(run.out)\(run.err)")
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.expected.path).sorted()
        #expect(names.count == 12)
        for name in names {
            let theirs = try String(contentsOf: Self.expected.appendingPathComponent(name), encoding: .utf8)
            let ours = try? String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            #expect(ours == theirs, "\(name) differs from ansible-playbook's rendering")
        }
    }

    @Test(arguments: minors) func renderedManifestsValidate(minor: String) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.expected.path).sorted().map {
            Self.expected.appendingPathComponent($0).path
        }
        let result = try SpawnedProcess.run(Self.validator, ["--strict", "-k", minor] + files)
        #expect(result.status == 0, "\(result.out)\(result.err)")
        // Every object was checked against a schema: 30 resources across the 12 files.
        let passed = result.out.split(separator: "\n").filter { $0.contains(" passed for resource ") }
        #expect(passed.count == 30, "\(result.out)")
    }

    @Test func validatorRejectsABrokenManifest() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        var text = try String(contentsOf: Self.expected.appendingPathComponent("jupyter.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "containerPort: 8888", with: "containerPort: \"eighty\"")
        try text.write(to: out.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        let result = try SpawnedProcess.run(Self.validator, ["--strict", "-k", "1.31.0", out.path + "/broken.yaml"])
        #expect(result.status != 0)
    }

    @Test(arguments: minors) func checkPodsValidate(minor: String) throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let m = MLCheckManifests(namespace: "capstan-ml", suffix: "abc123")
        try m.pingPod("a", node: "node-01").json().write(
            to: out.appendingPathComponent("pod.json"), atomically: true, encoding: .utf8)
        let result = try SpawnedProcess.run(Self.validator, ["--strict", "-k", minor, out.path + "/pod.json"])
        #expect(result.status == 0, "\(result.out)\(result.err)")
    }

    /// kubernetes-validate knows no CRDs; these are the fields the training operator and Argo read.
    @Test func checkCustomResourcesAreStructurallySound() {
        let m = MLCheckManifests(namespace: "capstan-ml", suffix: "abc123")
        func containers(_ spec: Value?) -> [Value] {
            spec?["template"]?["spec"]?["containers"]?.listValue ?? []
        }
        let pytorch = m.pytorchJob
        #expect(pytorch["apiVersion"] == "kubeflow.org/v1" && pytorch["kind"] == "PyTorchJob")
        #expect(pytorch["metadata"]?["namespace"] == "capstan-ml")
        for role in ["Master", "Worker"] {
            let spec = pytorch["spec"]?["pytorchReplicaSpecs"]?[role]
            #expect(spec?["replicas"] == 1)
            #expect(containers(spec).first?["name"] == "pytorch", "the operator finds the container named pytorch")
        }
        let tf = m.tfJob
        #expect(tf["apiVersion"] == "kubeflow.org/v1" && tf["kind"] == "TFJob")
        #expect(containers(tf["spec"]?["tfReplicaSpecs"]?["Worker"]).first?["name"] == "tensorflow")
        let wf = m.workflow
        #expect(wf["apiVersion"] == "argoproj.io/v1alpha1" && wf["kind"] == "Workflow")
        let templates = wf["spec"]?["templates"]?.listValue ?? []
        let names = Set(templates.compactMap { $0["name"]?.stringValue })
        #expect(names.contains(wf["spec"]?["entrypoint"]?.stringValue ?? ""))
        let steps = (templates.first?["steps"]?.listValue ?? []).flatMap { $0.listValue ?? [] }
        #expect(steps.count == 2 && steps.allSatisfy { names.contains($0["template"]?.stringValue ?? "") })
        let output = templates.first { $0["name"] == "write" }?["outputs"]?["artifacts"]?.listValue?.first
        let input = templates.first { $0["name"] == "read" }?["inputs"]?["artifacts"]?.listValue?.first
        #expect(output?["name"] == "result" && input?["name"] == "result")
        #expect(
            steps[1]["arguments"]?["artifacts"]?.listValue?.first?["from"]
                == "{{steps.write.outputs.artifacts.result}}")
        #expect(wf["spec"]?["serviceAccountName"] == "argo-workflow")
    }

    @Test func playbookTasksMatchAnsible() throws {
        let run = try CapstanBinary.run([
            "play", "-i", Fixtures.url("ml/inventory.ini").path, "--list-tasks",
            Fixtures.packageRoot.appendingPathComponent("playbooks/ml.yml").path,
        ])
        #expect(run.status == 0, "\(run.err)")
        let expected = try Fixtures.text("ml/expected/ml.list-tasks.txt")
        let ours = run.out.replacingOccurrences(
            of: Fixtures.packageRoot.appendingPathComponent("playbooks").path + "/", with: "")
        #expect(ours == expected)
    }
}
