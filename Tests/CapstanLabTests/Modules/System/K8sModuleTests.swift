import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanModules

/// `k8s` on lab node 1 against the kubectl TEST DOUBLE (Tests/doubles/kubectl), installed as the
/// node's /usr/local/bin/kubectl: it records argv and stdin and answers created/configured/
/// unchanged/deleted from a state directory; no cluster is involved.
@Suite(.serialized) struct K8sModuleTests {
    static let stateDir = "/var/lib/kubectl-double"
    static let deployment: Value = .dict([
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": .dict(["name": "capstan-web", "namespace": "default"]),
        "spec": .dict(["replicas": 1]),
    ])

    func freshNode() async throws -> LabNode {
        let node = try await LabNode.open(1)
        let double = try String(
            contentsOf: Fixtures.packageRoot.appendingPathComponent("Tests/doubles/kubectl"), encoding: .utf8)
        try await node.write(double, to: "/usr/local/bin/kubectl")
        try await node.sh("chmod 0755 /usr/local/bin/kubectl && rm -rf \(Self.stateDir)")
        return node
    }

    func log(_ node: LabNode) async throws -> String {
        try await node.sh("cat \(Self.stateDir)/log 2>/dev/null || true")
    }

    @Test func applyCreatesThenIsUnchangedThenConfigures() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let first = try await node.run(
            K8sModule.self,
            ["definition": Self.deployment, "namespace": "default", "kubeconfig": "/etc/kubernetes/admin.conf"])
        #expect(first.status == .changed && first.fields["method"] == "create")
        #expect(first.fields["result"]?.dictValue?["kubectl"] == ["deployment.apps/capstan-web created"])
        let calls = try await log(node)
        #expect(calls.contains("argv: --kubeconfig /etc/kubernetes/admin.conf -n default apply -f -"))
        #expect(calls.contains(#"stdin: {"apiVersion": "apps/v1", "kind": "Deployment""#))
        #expect(try await node.run(K8sModule.self, ["definition": Self.deployment]).status == .ok)
        var scaled = Self.deployment.dictValue!
        scaled["spec"] = .dict(["replicas": 3])
        #expect(try await node.run(K8sModule.self, ["definition": .dict(scaled)]).status == .changed)
    }

    @Test func listsAndRenderedTemplates() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        #expect(try await node.run(K8sModule.self, ["definition": .list([Self.deployment])]).status == .changed)
        #expect(try await log(node).contains(#""kind": "List", "items": [{"apiVersion": "apps/v1""#))
        let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: capstan-config\ndata:\n  a: \"1\"\n"
        #expect(try await node.run(K8sModule.self, ["template": .string(yaml)]).status == .changed)
        #expect(try await node.run(K8sModule.self, ["template": .string(yaml)]).status == .ok)
        #expect(
            try await node.sh("ls \(Self.stateDir)/objects") == "configmap-capstan-config\ndeployment.apps-capstan-web")
    }

    @Test func absentDeletesOnceAndWaits() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        _ = try await node.run(K8sModule.self, ["definition": Self.deployment])
        let args: OrderedDictionary<String, Value> = [
            "definition": Self.deployment, "state": "absent", "wait": true, "wait_timeout": 30,
        ]
        let deleted = try await node.run(K8sModule.self, args)
        #expect(deleted.status == .changed && deleted.fields["method"] == "delete")
        #expect(try await log(node).contains("argv: delete --ignore-not-found --wait=true --timeout=30s -f -"))
        #expect(try await node.run(K8sModule.self, args).status == .ok)
    }

    @Test func checkModeAppliesNothing() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        #expect(try await node.run(K8sModule.self, ["definition": Self.deployment], check: true).status == .changed)
        #expect(try await node.sh("ls \(Self.stateDir)/objects | wc -l") == "0")
        _ = try await node.run(K8sModule.self, ["definition": Self.deployment])
        #expect(try await node.run(K8sModule.self, ["definition": Self.deployment], check: true).status == .ok)
        #expect(
            try await node.run(K8sModule.self, ["definition": Self.deployment, "state": "absent"], check: true).status
                == .changed)
        #expect(try await node.sh("ls \(Self.stateDir)/objects") == "deployment.apps-capstan-web")
        #expect(!(try await log(node)).contains("argv: delete"))
    }

    @Test func srcIsReadOnTheController() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "capstan-k8s-\(UUID().uuidString).yaml")
        try "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: capstan-ns\n".write(
            to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let outcome = try await node.run(K8sModule.self, ["src": .string(file.path)])
        #expect(outcome.status == .changed)
        #expect(outcome.fields["result"]?.dictValue?["kubectl"] == ["namespace/capstan-ns created"])
    }

    @Test func argumentErrors() {
        #expect(argumentError(K8sModule.self, [:]) == "one of the following is required: src, definition, template")
        #expect(
            argumentError(K8sModule.self, ["src": "/x", "definition": "y"])
                == "parameters are mutually exclusive: src|definition|template")
        #expect(
            argumentError(K8sModule.self, ["definition": "x", "state": "patched"])?.hasPrefix(
                "value of state must be one of") == true)
    }
}
