import CapstanTestSupport
import Collections
import Testing

@testable import CapstanModules

/// `hostname` on lab node 2, which has its own UTS namespace (the host's name is never touched); each
/// test puts the node's name back to `node-02`.
@Suite(.serialized) struct HostnameModuleTests {
    func freshNode() async throws -> LabNode {
        let node = try await LabNode.open(2)
        try await node.sh("hostnamectl set-hostname node-02 && hostnamectl --pretty set-hostname ''")
        return node
    }

    func restore(_ node: LabNode) async throws {
        try await node.sh("hostnamectl set-hostname node-02 && hostnamectl --pretty set-hostname ''")
        await node.close()
    }

    @Test func systemdStrategySetsBothNamesOnce() async throws {
        let node = try await freshNode()
        let first = try await node.run(HostnameModule.self, ["name": "capstan-h1.example.test"], diff: true)
        #expect(first.status == .changed)
        #expect(try await node.sh("hostname; cat /etc/hostname") == "capstan-h1.example.test\ncapstan-h1.example.test")
        let facts = first.fields["ansible_facts"]?.dictValue
        #expect(facts?["ansible_hostname"] == "capstan-h1" && facts?["ansible_nodename"] == "capstan-h1.example.test")
        #expect(first.fields["diff"]?.dictValue?["before"] == "hostname = node-02\n")
        #expect(first.fields["diff"]?.dictValue?["after"] == "hostname = capstan-h1.example.test\n")
        let second = try await node.run(HostnameModule.self, ["name": "capstan-h1.example.test"], diff: true)
        #expect(second.status == .ok)
        #expect(second.fields["diff"] == nil)
        try await restore(node)
    }

    @Test func checkModeChangesNothing() async throws {
        let node = try await freshNode()
        let predicted = try await node.run(HostnameModule.self, ["name": "capstan-check"], check: true)
        #expect(predicted.status == .changed)
        #expect(try await node.sh("hostname; cat /etc/hostname") == "node-02\nnode-02")
        try await restore(node)
    }

    @Test func genericStrategyWritesEtcHostname() async throws {
        let node = try await freshNode()
        #expect(try await node.run(HostnameModule.self, ["name": "capstan-file", "use": "generic"]).status == .changed)
        #expect(try await node.sh("hostname; cat /etc/hostname") == "capstan-file\ncapstan-file")
        #expect(try await node.run(HostnameModule.self, ["name": "capstan-file", "use": "generic"]).status == .ok)
        try await restore(node)
    }

    @Test func tooLongNameFailsAsAnsible() async throws {
        let node = try await freshNode()
        let outcome = try await node.run(HostnameModule.self, ["name": .string(String(repeating: "a", count: 65))])
        #expect(outcome.status == .failed)
        #expect(
            outcome.fields["msg"] == "name cannot be longer than 64 characters on systemd servers, try a shorter name")
        #expect(try await node.sh("hostname") == "node-02")
        try await restore(node)
    }

    @Test func argumentErrors() {
        #expect(argumentError(HostnameModule.self, [:]) == "missing required arguments: name")
        #expect(
            argumentError(HostnameModule.self, ["name": "x", "use": "redhat"])
                == "hostname strategy 'redhat' is not supported by Capstan")
        #expect(
            argumentError(HostnameModule.self, ["name": "x", "use": "nope"])?.hasPrefix(
                "value of use must be one of: alpine,") == true)
    }
}
