import Foundation

@testable import CapstanBasics
@testable import CapstanCluster

/// Experiments files the rendering and launcher tests share, and the Python tools they check with.
package enum ExperimentFixtures {
    /// A matrix and a list, with every knob the built-in templates read.
    package static func sweep(kind: String = "Job", objectStore: Bool = true, name: String = "mnist") -> String {
        """
        name: \(name)
        namespace: ml
        kind: \(kind)
        \(objectStore ? "object_store: {bucket: artifacts, secret: capstan-object-store}" : "object_store: false")
        defaults:
          image: pytorch/pytorch:2.4.1-cuda12.1-cudnn9-runtime
          command: python train.py --epochs $(EPOCHS) --out /results
          epochs: 5
          memory: 4Gi
          dataset: mnist
          env: {PYTHONUNBUFFERED: "1"}
        matrix:
          batch_size: [32, 64]
          seed: [1, 2]
        experiments:
          - id: baseline
            batch_size: 16
            seed: 0
            lr: 0.001
            use_amp: true
            notes: "ünïcode & \\"quotes\\""

        """
    }

    /// A distributed one, for the training operator kinds.
    package static func distributed(kind: String) -> String {
        """
        name: dist
        kind: \(kind)
        defaults:
          image: tensorflow/tensorflow:2.17.0-gpu
          command: [python, /app/train.py]
          args: [--steps, "100"]
          gpus: 2
          cpu: "4"
          workers: 2
          service_account: trainer
        matrix:
          model: [resnet, vit]

        """
    }

    package static func parse(_ text: String, file: String = "/tmp/exp/sweep.yaml") throws -> ExperimentsFile {
        try ExperimentsFileParser().parse(text: text, file: file)
    }

    package static let venv = Fixtures.packageRoot.appendingPathComponent(".build/venv/bin").path

    /// Writes `text` to a fresh temporary file and returns its path.
    package static func temporary(_ text: String, suffix: String = ".yaml") throws -> String {
        let path = TestScratch.directory + "/capstan-exp-\(UUID().uuidString)\(suffix)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `kubernetes-validate --strict` for one Kubernetes version; nil when valid, else its output.
    package static func validate(_ yaml: String, kubernetes version: String) throws -> String? {
        let path = try temporary(yaml)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try SpawnedProcess.run(
            venv + "/kubernetes-validate", ["--strict", "--no-warn", "-k", version, path])
        return outcome.status == 0 ? nil : outcome.out + outcome.err
    }

    /// Python jinja2's rendering of `template` with `variables` (Tests/oracles/jinja-render.py).
    package static func jinja2(_ template: String, _ variables: Value) throws -> String {
        let tpl = try temporary(template, suffix: ".j2")
        let ctx = try temporary(variables.json(), suffix: ".json")
        defer {
            try? FileManager.default.removeItem(atPath: tpl)
            try? FileManager.default.removeItem(atPath: ctx)
        }
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/oracles/jinja-render.py").path
        let outcome = try SpawnedProcess.run(venv + "/python", [script, tpl, ctx])
        guard outcome.status == 0 else { throw ToolError(message: "jinja2 failed: \(outcome.err)") }
        return outcome.out
    }

    package struct ToolError: Error, CustomStringConvertible {
        let message: String
        package var description: String { message }

        package init(message: String) { self.message = message }
    }
}
