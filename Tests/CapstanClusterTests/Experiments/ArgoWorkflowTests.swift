import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanCluster
@testable import CapstanYAML

/// `--argo`: one Workflow fanning out over the experiments with `withItems`, then a merge step,
/// results under the Workflow's name. Argo's Workflow is a CRD, so it is checked structurally:
/// every step names a template that exists, every argument is an input, every item gives every
/// argument, artifacts go under `{{workflow.name}}`; the train container is validated as a core one.
@Suite struct ArgoWorkflowTests {
    func workflow(_ text: String = ExperimentFixtures.sweep()) throws -> (ExperimentsFile, Value) {
        let file = try ExperimentFixtures.parse(text)
        let manifest = try ManifestRenderer().renderWorkflow(file.experiments, of: file)
        var warnings: [Warning] = []
        #expect(manifest.kind == "Workflow" && manifest.name == "mnist" && manifest.experimentID == nil)
        return (file, try YAMLLoader.value(text: manifest.text, file: "workflow", warnings: &warnings))
    }

    func templates(_ workflow: Value) -> [String: Value] {
        Dictionary(
            (workflow["spec"]?["templates"]?.listValue ?? []).map { ($0["name"]?.stringValue ?? "", $0) },
            uniquingKeysWith: { a, _ in a })
    }

    @Test func fansOutOverEveryExperimentThenMerges() throws {
        let (file, wf) = try workflow()
        #expect(wf["apiVersion"] == "argoproj.io/v1alpha1" && wf["kind"] == "Workflow")
        #expect(
            wf["metadata"]?["namespace"] == "ml" && wf["metadata"]?["labels"]?["capstan.dev/experiment-set"] == "mnist")
        #expect(wf["spec"]?["serviceAccountName"] == "argo-workflow")
        let all = templates(wf)
        let entry = all[wf["spec"]?["entrypoint"]?.stringValue ?? ""]
        let steps = entry?["steps"]?.listValue ?? []
        #expect(steps.count == 2)
        let train = steps[0].listValue?.first
        let merge = steps[1].listValue?.first
        #expect(train?["template"] == "train" && merge?["template"] == "merge")
        for step in steps.flatMap({ $0.listValue ?? [] }) {
            #expect(all[step["template"]?.stringValue ?? ""] != nil)
        }
        let items = train?["withItems"]?.listValue ?? []
        #expect(items.map { $0["id"]?.stringValue ?? "" } == file.experiments.map(\.id))
        let inputs = (all["train"]?["inputs"]?["parameters"]?.listValue ?? []).compactMap { $0["name"]?.stringValue }
        let arguments = (train?["arguments"]?["parameters"]?.listValue ?? [])
        #expect(arguments.compactMap { $0["name"]?.stringValue } == inputs)
        for argument in arguments {
            let name = argument["name"]?.stringValue ?? ""
            #expect(argument["value"] == .string("{{item.\(name)}}"))
            #expect(items.allSatisfy { $0[name] != nil }, "every item gives \(name)")
        }
        #expect(inputs.starts(with: ["id", "job", "image", "params"]) && inputs.contains("BATCH_SIZE"))
        #expect(items[0]["BATCH_SIZE"] == "16" && items[1]["BATCH_SIZE"] == "32" && items[0]["LR"] == "0.001")
        #expect(items[1]["LR"] == "", "a parameter an experiment lacks is empty, not missing")
    }

    @Test func resultsGoUnderTheWorkflowsName() throws {
        let (_, wf) = try workflow()
        let all = templates(wf)
        let output = all["train"]?["outputs"]?["artifacts"]?.listValue?.first
        #expect(output?["path"] == "/results" && output?["s3"]?["key"] == "{{workflow.name}}/{{inputs.parameters.id}}")
        #expect(output?["archive"] == ["none": .emptyDict])
        #expect(all["merge"]?["inputs"]?["artifacts"]?.listValue?.first?["s3"]?["key"] == "{{workflow.name}}")
        #expect(all["merge"]?["outputs"]?["artifacts"]?.listValue?.first?["s3"]?["key"] == "{{workflow.name}}/merged")
        #expect(all["train"]?["metadata"]?["labels"]?["capstan.dev/experiment"] == "{{inputs.parameters.id}}")
        #expect(all["train"]?["metadata"]?["labels"]?["capstan.dev/job"] == "{{inputs.parameters.job}}")
        let (_, bare) = try workflow(ExperimentFixtures.sweep(objectStore: false))
        #expect(templates(bare)["train"]?["outputs"] == nil)
    }

    @Test func trainAndMergeContainersAreValidContainers() throws {
        let (_, wf) = try workflow()
        let all = templates(wf)
        for name in ["train", "merge"] {
            // Argo names a template's container `main` itself.
            var container = all[name]?["container"]?.dictValue ?? [:]
            #expect(container["name"] == nil)
            container["name"] = "main"
            let pod: Value = [
                "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "check"],
                "spec": ["containers": [.dict(container)], "volumes": wf["spec"]?["volumes"] ?? .null],
            ]
            for version in ManifestRenderingTests.kubernetesVersions {
                let problems = try ExperimentFixtures.validate(pod.json(), kubernetes: version)
                #expect(problems == nil, "\(name), kubernetes \(version): \(problems ?? "")")
            }
        }
    }

    @Test func experimentsMustShareOneCommand() throws {
        let text = "defaults: {image: i}\nexperiments:\n  - {id: a, command: [x]}\n  - {id: b, command: [y]}\n"
        let file = try ExperimentFixtures.parse(text)
        #expect {
            try ManifestRenderer().renderWorkflow(file.experiments, of: file)
        } throws: { "\($0)".hasPrefix("/tmp/exp/sweep.yaml:4:5: --argo runs every experiment with one command") }
    }
}
