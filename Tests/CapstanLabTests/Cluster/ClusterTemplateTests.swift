import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanExecution
@testable import CapstanYAML

/// The files the cluster roles render, rendered by Capstan itself (Fixtures/cluster/render.yml with
/// the roles' defaults), checked against kubeadm's API (the field trees of
/// Tests/oracles/kubeadm-fields.py) and Kubernetes' schemas (`kubernetes-validate`, from PyPI in
/// .build/venv) for three Kubernetes minors.
@Suite struct ClusterTemplateTests {
    static let minors = ["1.30", "1.31", "1.32"]

    /// Renders the templates for one minor into a fresh directory.
    static func render(_ minor: String) throws -> String {
        let out = TestScratch.directory + "/capstan-cluster-render-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let inventory = Fixtures.url("output").appendingPathComponent("inventory.ini").path
        let run = try CapstanBinary.run([
            "play", "-i", inventory, "--no-journal", "-e", "out=\(out)", "-e", "kube_version=\(minor)",
            Fixtures.url("cluster/render.yml").path,
        ])
        #expect(run.status == 0, "render \(minor): \(run.out)\(run.err)")
        return out
    }

    /// Every kubeadm document's fields exist in its API version, and the required ones are set.
    @Test(arguments: minors)
    func kubeadmConfigsUseTheirAPIVersionsFields(minor: String) throws {
        let out = try Self.render(minor)
        defer { try? FileManager.default.removeItem(atPath: out) }
        let oracle = try KubeadmFields.load()
        let expected = minor == "1.30" ? "v1beta3" : "v1beta4"
        var kinds: [String] = []
        for file in ["kubeadm-config.yaml", "kubeadm-join-worker.yaml", "kubeadm-join-control-plane.yaml"] {
            let text = try String(contentsOfFile: "\(out)/\(file)", encoding: .utf8)
            var warnings: [Warning] = []
            for document in try YAMLLoader.values(text: text, file: file, warnings: &warnings) {
                let apiVersion = document["apiVersion"]?.stringValue ?? ""
                let kind = document["kind"]?.stringValue ?? ""
                guard apiVersion.hasPrefix("kubeadm.k8s.io/") else {
                    #expect(kind == "KubeletConfiguration", "\(file): unexpected \(apiVersion) \(kind)")
                    continue
                }
                #expect(apiVersion == "kubeadm.k8s.io/\(expected)", "\(file): \(apiVersion) for \(minor)")
                kinds.append(kind)
                let problems = oracle.check(document, version: expected, kind: kind)
                #expect(problems.isEmpty, "\(file) \(kind): \(problems)")
            }
        }
        #expect(kinds == ["InitConfiguration", "ClusterConfiguration", "JoinConfiguration", "JoinConfiguration"])
    }

    /// A field kubeadm does not know is caught (the check can fail).
    @Test func anUnknownFieldIsReported() throws {
        let oracle = try KubeadmFields.load()
        var warnings: [Warning] = []
        let doc = try YAMLLoader.value(
            text: "apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\nlocalAPIEndpoint:\n"
                + "  advertiseAddress: 1.2.3.4\n  bindPorts: 6443\nnodeRegistration:\n  kubeletExtraArgs:\n"
                + "  - name: a\n    value: b\n",
            file: "x", warnings: &warnings)
        let problems = oracle.check(doc, version: "v1beta3", kind: "InitConfiguration")
        #expect(problems.contains("unknown field localAPIEndpoint.bindPorts"))
        #expect(problems.contains("nodeRegistration.kubeletExtraArgs: a list where kubeadm wants a map"))
        #expect(oracle.check(doc, version: "v1beta4", kind: "InitConfiguration").count == 1)
    }

    /// The flannel manifest validates against the schemas of each minor, strictly.
    @Test(arguments: minors)
    func flannelManifestValidates(minor: String) throws {
        let out = try Self.render(minor)
        defer { try? FileManager.default.removeItem(atPath: out) }
        let manifest = try String(contentsOfFile: "\(out)/kube-flannel.yml", encoding: .utf8)
        #expect(manifest.contains("\"Network\": \"10.244.0.0/16\""))
        let result = try KubernetesValidate.run(file: "\(out)/kube-flannel.yml", minor: minor)
        #expect(result.status == 0, "kubernetes-validate \(minor): \(result.output)")
    }

    /// kubernetes-validate rejects a broken manifest (the check can fail).
    @Test func kubernetesValidateRejectsAnUnknownField() throws {
        let file = TestScratch.directory + "/capstan-bad-\(UUID().uuidString).yml"
        defer { unlink(file) }
        try "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: x\nspec:\n  selectr: {}\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let result = try KubernetesValidate.run(file: file, minor: "1.31")
        #expect(result.status != 0)
    }
}

/// `kubernetes-validate` from the test virtualenv (`bash .ci/setup` installs it).
enum KubernetesValidate {
    static func run(file: String, minor: String) throws -> (status: Int32, output: String) {
        let tool = Fixtures.packageRoot.appendingPathComponent(".build/venv/bin/kubernetes-validate").path
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            throw LabNodes.LabError(message: "\(tool) is missing: run bash .ci/setup")
        }
        let outcome = try SpawnedProcess.run(tool, ["--strict", "-k", "\(minor).0", file])
        return (outcome.status, outcome.out + outcome.err)
    }
}
