import Collections
import Testing

@testable import CapstanBasics
@testable import CapstanCluster

/// The experiments file: matrix expansion, ids, names, and errors at the line and column of the problem.
@Suite struct ExperimentsFileTests {
    func parse(_ text: String, file: String = "exp.yaml") throws -> ExperimentsFile {
        try ExperimentsFileParser().parse(text: text, file: file)
    }

    func error(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func matrixExpandsInOrderWithTheLastKeyFastest() throws {
        let file = try parse(
            """
            name: mnist
            defaults: {image: img, epochs: 5}
            matrix:
              batch_size: [32, 64]
              seed: [1, 2, 3]
              lr: 0.1
            """)
        #expect(
            file.experiments.map(\.id) == [
                "batch-size-32-seed-1", "batch-size-32-seed-2", "batch-size-32-seed-3",
                "batch-size-64-seed-1", "batch-size-64-seed-2", "batch-size-64-seed-3",
            ])
        #expect(file.experiments[4].params == ["image": "img", "epochs": 5, "batch_size": 64, "seed": 2, "lr": 0.1])
        #expect(file.experiments[0].name == "mnist-batch-size-32-seed-1")
        #expect(file.experiments[0].location == SourceLocation(file: "exp.yaml", line: 4, column: 3))
        #expect(file.kind == .job && file.namespace == "capstan-ml" && file.setLabel == "mnist")
    }

    @Test func listEntriesComeFirstAndNameThemselves() throws {
        let file = try parse(
            """
            name: Big Sweep!
            defaults: {image: img, lr: 0.01}
            experiments:
              - id: baseline
                lr: 0.1
              - {model: resnet50, lr: 0.001}
              - {}
            matrix: {seed: [7]}
            """)
        #expect(file.experiments.map(\.id) == ["baseline", "model-resnet50-lr-0-001", "default", "seed-7"])
        #expect(
            file.experiments.map(\.name) == [
                "big-sweep-baseline", "big-sweep-model-resnet50-lr-0-001", "big-sweep-default", "big-sweep-seed-7",
            ])
        #expect(file.experiments[0].params == ["image": "img", "lr": 0.1])
        #expect(file.experiments[1].location.line == 6)
    }

    @Test func idsAreStableAndLongOnesEndInAHash() throws {
        let text = "defaults: {image: i}\nmatrix:\n  model_architecture_name: [a-very-long-architecture-name-indeed]\n"
        let first = try parse(text, file: "/tmp/sweep.yaml")
        let again = try parse(text, file: "/tmp/sweep.yaml")
        let id = first.experiments[0].id
        #expect(id == again.experiments[0].id)
        #expect(id.count <= ExperimentsFileParser.maxIDLength && id.count >= ExperimentsFileParser.maxIDLength - 2)
        #expect(id.hasPrefix("model-architecture-name-a-very-") && KubernetesName.isLabel(id))
        #expect(first.name == "sweep" && first.experiments[0].name == "sweep-" + id)
    }

    @Test func namesAreDNSLabelsWithinEachKindsLimit() throws {
        #expect(KubernetesName.label("Hello_World--2") == "hello-world-2")
        #expect(KubernetesName.label("42 runs") == "x-42-runs")
        #expect(KubernetesName.label("") == "x")
        let long = String(repeating: "abcdefghij", count: 10)
        let name = KubernetesName.label(long)
        #expect(name.count == 63 && KubernetesName.isLabel(name) && name.hasPrefix("abcdefghij"))
        #expect(KubernetesName.label(long + "x") != name)
        let file = try parse(
            "name: \(String(repeating: "n", count: 29))\nkind: pytorchjob\ndefaults: {image: i}\n"
                + "experiments:\n  - id: \(String(repeating: "i", count: 40))\n")
        #expect(file.kind == .pyTorchJob && file.experiments[0].name.count == 48)
        #expect(KubernetesName.isLabel(file.experiments[0].name))
    }

    @Test func selectingByIDKeepsFileOrderAndRejectsUnknownIDs() throws {
        let file = try parse("matrix: {seed: [1, 2, 3]}\n")
        #expect(try file.selecting(["seed-3", "seed-1"]).map(\.id) == ["seed-1", "seed-3"])
        #expect(throws: InputError.self) { try file.selecting(["seed-9"]) }
    }

    @Test func errorsPointAtTheProblem() {
        #expect(error("name: x\nmatrx: {a: [1]}\n")?.hasPrefix("exp.yaml:2:1: unknown key 'matrx'") == true)
        #expect(error("matrix:\n  seed: []\n") == "exp.yaml:2:9: matrix key 'seed' has no values")
        #expect(
            error("experiments:\n  - {id: a}\n  - {id: a}\n")
                == "exp.yaml:3:5: two experiments have the id 'a' (the first is at exp.yaml:2:5); give one an 'id'")
        #expect(
            error("experiments:\n  - id: Bad_ID\n")?.hasPrefix("exp.yaml:2:9: experiment id 'Bad_ID' must be") == true)
        #expect(error("kind: Deployment\nmatrix: {a: [1]}\n")?.hasPrefix("exp.yaml:1:7: 'kind' must be one of") == true)
        #expect(error("namespace: ML\nmatrix: {a: [1]}\n")?.hasPrefix("exp.yaml:1:12: 'namespace' must be") == true)
        #expect(error("defaults: {id: x}\nmatrix: {a: [1]}\n")?.hasPrefix("exp.yaml:1:12: 'id' names one") == true)
        #expect(error("name: x\n") == "exp.yaml:1:1: the experiments file has neither 'experiments' nor 'matrix'")
        #expect(error("experiments: {a: 1}\n") == "exp.yaml:1:14: 'experiments' must be a list of mappings")
        #expect(error("experiments:\n  - [1]\n")?.hasPrefix("exp.yaml:2:5: an experiment must be a mapping") == true)
        #expect(error("matrix: {a: [1, 2\n")?.hasPrefix("exp.yaml:") == true)
        #expect(
            error("object_store: {bucket: b, region: x}\nmatrix: {a: [1]}\n")?.hasPrefix(
                "exp.yaml:1:27: unknown key 'region' in 'object_store'") == true)
        let big = "matrix:\n" + (1...5).map { "  k\($0): [1,2,3,4,5,6,7]\n" }.joined()
        #expect(error(big) == "exp.yaml:2:3: the matrix makes 16807 experiments, more than the 10000 allowed")
    }

    @Test func objectStoreSettingsAndTemplatePath() throws {
        let file = try parse(
            "template: tpl/job.yaml.j2\nobject_store: {bucket: models, secret: s3-creds}\nmatrix: {a: [1]}\n",
            file: "/srv/exp/sweep.yaml")
        #expect(file.templatePath == "/srv/exp/tpl/job.yaml.j2")
        #expect(file.objectStore?.bucket == "models" && file.objectStore?.secret == "s3-creds")
        #expect(file.objectStore?.endpoint == ObjectStoreSettings().endpoint)
        #expect(try parse("object_store: false\nmatrix: {a: [1]}\n").objectStore == nil)
    }
}
