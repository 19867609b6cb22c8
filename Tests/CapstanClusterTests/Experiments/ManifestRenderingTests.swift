import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanCluster
@testable import CapstanTemplating
@testable import CapstanYAML

/// Every manifest the launcher renders: Jobs validate with kubernetes-validate against three
/// Kubernetes minors; PyTorchJob, TFJob and Workflow are CRDs, checked structurally (and their pod
/// templates validated as core objects); the built-in templates render as Python's jinja2 renders them.
@Suite(.serialized) struct ManifestRenderingTests {
    static let kubernetesVersions = ["1.31.0", "1.33.0", "1.35.0"]

    func load(_ yaml: String) throws -> Value {
        var warnings: [Warning] = []
        return try YAMLLoader.value(text: yaml, file: "rendered", warnings: &warnings)
    }

    @Test func jobsValidateForThreeKubernetesMinors() throws {
        for objectStore in [true, false] {
            let file = try ExperimentFixtures.parse(ExperimentFixtures.sweep(objectStore: objectStore))
            let manifests = try ManifestRenderer().render(file.experiments, of: file)
            #expect(manifests.map(\.name) == file.experiments.map(\.name))
            #expect(manifests.allSatisfy { $0.kind == "Job" && $0.namespace == "ml" })
            let stream = RenderedManifest.stream(manifests)
            for version in Self.kubernetesVersions {
                let problems = try ExperimentFixtures.validate(stream, kubernetes: version)
                #expect(problems == nil, "kubernetes \(version): \(problems ?? "")")
            }
        }
    }

    @Test func theShippedExampleRendersValidJobs() throws {
        let path = Fixtures.packageRoot.appendingPathComponent("experiments/mnist.yaml").path
        let file = try ExperimentsFileParser().load(path: path)
        #expect(file.experiments.count == 7 && file.namespace == "capstan-ml")
        let stream = RenderedManifest.stream(try ManifestRenderer().render(file.experiments, of: file))
        for version in Self.kubernetesVersions {
            let problems = try ExperimentFixtures.validate(stream, kubernetes: version)
            #expect(problems == nil, "kubernetes \(version): \(problems ?? "")")
        }
        _ = try ManifestRenderer().renderWorkflow(file.experiments, of: file)
    }

    @Test func validationCatchesABrokenJob() throws {
        let broken =
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n"
            + "      containers: [{name: c, image: i, bogus: 1}]\n      restartPolicy: Never\n"
        #expect(try ExperimentFixtures.validate(broken, kubernetes: Self.kubernetesVersions[0]) != nil)
    }

    @Test func jobCarriesIDParamsAndTheUploader() throws {
        let file = try ExperimentFixtures.parse(ExperimentFixtures.sweep())
        let baseline = try load(try ManifestRenderer().render([file.experiments[0]], of: file)[0].text)
        let labels = baseline["metadata"]?["labels"]
        #expect(labels?["capstan.dev/experiment"] == "baseline" && labels?["capstan.dev/experiment-set"] == "mnist")
        #expect(labels?["capstan.dev/job"] == "mnist-baseline")
        #expect(labels?["params.capstan.dev/batch_size"] == "16" && labels?["params.capstan.dev/use_amp"] == "true")
        #expect(labels?["params.capstan.dev/notes"] == nil)
        let params = try Value(jsonText: baseline["metadata"]?["annotations"]?["capstan.dev/params"]?.stringValue ?? "")
        #expect(params["notes"] == "ünïcode & \"quotes\"" && params["lr"] == 0.001)
        let pod = baseline["spec"]?["template"]?["spec"]
        #expect(pod?["template"] == nil && baseline["spec"]?["template"]?["metadata"]?["labels"] == labels)
        let train = pod?["initContainers"]?.listValue?.first
        #expect(train?["command"] == ["/bin/sh", "-c", "python train.py --epochs $(EPOCHS) --out /results"])
        let env = OrderedDictionary(
            uniqueKeysWithValues: (train?["env"]?.listValue ?? []).map {
                ($0["name"]?.stringValue ?? "", $0["value"] ?? $0["valueFrom"] ?? .null)
            })
        #expect(env["BATCH_SIZE"] == "16" && env["EPOCHS"] == "5" && env["USE_AMP"] == "true")
        #expect(env["PYTHONUNBUFFERED"] == "1" && env["CAPSTAN_EXPERIMENT_ID"] == "baseline")
        #expect(env["CAPSTAN_RESULTS_URI"] == "s3://artifacts/mnist/baseline/")
        #expect(env["AWS_SECRET_ACCESS_KEY"]?["secretKeyRef"]?["name"] == "capstan-object-store")
        #expect(env["IMAGE"] == nil && env["MEMORY"] == nil)
        #expect(train?["resources"] == ["limits": ["memory": "4Gi"], "requests": ["memory": "4Gi"]])
        let upload = pod?["containers"]?.listValue?.first
        #expect(upload?["args"] == ["copy", "/results", "store:artifacts/mnist/baseline/"])
    }

    @Test func trainingOperatorKindsAreStructurallyRight() throws {
        for (kind, specs, container) in [
            ("PyTorchJob", "pytorchReplicaSpecs", "pytorch"), ("TFJob", "tfReplicaSpecs", "tensorflow"),
        ] {
            let file = try ExperimentFixtures.parse(ExperimentFixtures.distributed(kind: kind))
            let manifests = try ManifestRenderer().render(file.experiments, of: file)
            #expect(manifests.map(\.name) == ["dist-model-resnet", "dist-model-vit"])
            let object = try load(manifests[1].text)
            #expect(object["apiVersion"] == "kubeflow.org/v1" && object["kind"] == .string(kind))
            #expect(object["spec"]?["runPolicy"]?["backoffLimit"] == 0)
            let replicas = object["spec"]?[specs]?.dictValue ?? [:]
            #expect(Array(replicas.keys) == (kind == "PyTorchJob" ? ["Master", "Worker"] : ["Worker"]))
            #expect(replicas["Worker"]?["replicas"] == 2)
            for (_, spec) in replicas {
                #expect(spec["restartPolicy"] == "OnFailure")
                let pod = spec["template"] ?? .null
                let c = pod["spec"]?["containers"]?.listValue?.first
                #expect(c?["name"] == .string(container) && c?["args"] == ["--steps", "100"])
                #expect(c?["resources"]?["limits"]?["nvidia.com/gpu"] == "2")
                #expect(pod["spec"]?["serviceAccountName"] == "trainer")
                #expect(pod["metadata"]?["labels"]?["capstan.dev/experiment"] == "model-vit")
                // The pod template is a core object: validate it as one.
                var wrapped: OrderedDictionary<String, Value> = ["apiVersion": "v1", "kind": "PodTemplate"]
                wrapped["metadata"] = ["name": "check"]
                wrapped["template"] = pod
                for version in Self.kubernetesVersions {
                    let problems = try ExperimentFixtures.validate(Value.dict(wrapped).json(), kubernetes: version)
                    #expect(problems == nil, "\(kind) pod template, kubernetes \(version): \(problems ?? "")")
                }
            }
        }
    }

    @Test func builtinTemplatesRenderAsPythonJinja2Does() throws {
        var cases: [(String, ExperimentsFile)] = []
        for objectStore in [true, false] {
            cases.append(("Job", try ExperimentFixtures.parse(ExperimentFixtures.sweep(objectStore: objectStore))))
        }
        for kind in ["PyTorchJob", "TFJob"] {
            cases.append((kind, try ExperimentFixtures.parse(ExperimentFixtures.distributed(kind: kind))))
            cases.append((kind, try ExperimentFixtures.parse(ExperimentFixtures.sweep(kind: kind))))
        }
        var compared = 0
        for (_, file) in cases {
            let template = BuiltinTemplates.template(for: file.kind)
            for (index, experiment) in file.experiments.enumerated() {
                let vars = ExperimentContext.variables(experiment, index: index, in: file)
                let ours = try Templar().render(template, scope: DictionaryScope(vars))
                #expect(ours == (try ExperimentFixtures.jinja2(template, .dict(vars))), "\(file.kind) \(experiment.id)")
                compared += 1
            }
        }
        let file = try ExperimentFixtures.parse(ExperimentFixtures.sweep())
        let vars = try ArgoWorkflowContext.variables(file.experiments, in: file)
        let ours = try Templar().render(ArgoWorkflowContext.template, scope: DictionaryScope(vars))
        #expect(ours == (try ExperimentFixtures.jinja2(ArgoWorkflowContext.template, .dict(vars))))
        #expect(compared == 24)
    }

    @Test func dryRunStreamIsOneDocumentPerExperiment() throws {
        let file = try ExperimentFixtures.parse(ExperimentFixtures.sweep())
        let stream = RenderedManifest.stream(try ManifestRenderer().render(file.experiments, of: file))
        var warnings: [Warning] = []
        let documents = try YAMLLoader.values(text: stream, file: "stream", warnings: &warnings)
        #expect(documents.map { $0["metadata"]?["name"]?.stringValue ?? "" } == file.experiments.map(\.name))
        #expect(stream.hasPrefix("---\napiVersion: batch/v1\n") && stream.hasSuffix("\n"))
    }

    @Test func customTemplatesAndTheirErrors() throws {
        let file = try ExperimentFixtures.parse(ExperimentFixtures.sweep())
        let good = try ExperimentFixtures.temporary(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ experiment.name }}\ndata:\n"
                + "  batch: \"{{ batch_size }}\"\n  seed: \"{{ params.seed }}\"\n", suffix: ".j2")
        let manifests = try ManifestRenderer(templatePath: good).render(file.experiments, of: file)
        #expect(manifests[1].text.contains("batch: \"32\"\n  seed: \"1\"") && manifests[1].kind == "ConfigMap")
        let undefined = try ExperimentFixtures.temporary("kind: Job\nmetadata:\n  name: {{ nope }}\n", suffix: ".j2")
        #expect {
            try ManifestRenderer(templatePath: undefined).render(file.experiments, of: file)
        } throws: { "\($0)".hasPrefix("\(undefined):3:") && "\($0)".contains("'nope' is undefined") }
        let two = try ExperimentFixtures.temporary("kind: A\n---\nkind: B\n", suffix: ".j2")
        #expect(throws: InputError.self) { try ManifestRenderer(templatePath: two).render(file.experiments, of: file) }
        let noImage = try ExperimentFixtures.parse("experiments:\n  - {id: a}\n")
        #expect {
            try ManifestRenderer().render(noImage.experiments, of: noImage)
        } throws: {
            "\($0)"
                == "/tmp/exp/sweep.yaml:2:5: experiment 'a' has no 'image' (set it in defaults, the matrix or the entry)"
        }
    }
}
