import Collections
import Testing

@testable import CapstanEngine

/// `sysctl` on lab node 2, in a sysctl file of its own, with `net.ipv4.ip_forward`: a node's network
/// namespace is its own, so net.* keys are writable there; other keys belong to the host kernel and
/// are read-only on a node (which the failure test relies on).
@Suite(.serialized) struct SysctlModuleTests {
    static let file = "/etc/sysctl.d/90-capstan-test.conf"
    static let key = "net.ipv4.ip_forward"

    /// Node 2 with ip_forward off and the test file holding `content` (none when `nil`).
    func freshNode(_ content: String? = nil) async throws -> LabNode {
        let node = try await LabNode.open(2)
        try await node.sh("sysctl -q -w \(Self.key)=0 && rm -f \(Self.file)")
        if let content { try await node.write(content, to: Self.file) }
        return node
    }

    func args(_ extra: OrderedDictionary<String, Value>) -> OrderedDictionary<String, Value> {
        var a: OrderedDictionary<String, Value> = ["name": .string(Self.key), "sysctl_file": .string(Self.file)]
        a.merge(extra) { _, new in new }
        return a
    }

    @Test func setsFileAndRunningValueOnce() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        #expect(try await node.run(SysctlModule.self, args(["value": "1"])).status == .changed)
        #expect(try await node.sh("cat \(Self.file)") == "net.ipv4.ip_forward=1")
        #expect(try await node.sh("stat -c %a \(Self.file)") == "644")
        #expect(try await node.sh("sysctl -n \(Self.key)") == "1")
        #expect(try await node.run(SysctlModule.self, args(["value": "yes"])).status == .ok)
    }

    @Test func rewritesTheFileAsAnsible() async throws {
        let node = try await freshNode(
            "# forwarding\n  net.ipv4.ip_forward = 0 \n; old\nnet.ipv4.ip_forward=0\nkernel.x = 1\nkernel.x=2\n")
        defer { _Concurrency.Task { await node.close() } }
        // kernel.x does not exist: `sysctl -p` of this file would fail, so no reload here.
        #expect(try await node.run(SysctlModule.self, args(["value": "1", "reload": false])).status == .changed)
        #expect(try await node.sh("cat \(Self.file)") == "# forwarding\nnet.ipv4.ip_forward=1\n; old\nkernel.x=1")
    }

    @Test func checkModeChangesNothing() async throws {
        let node = try await freshNode("net.ipv4.ip_forward=0\n")
        defer { _Concurrency.Task { await node.close() } }
        let before = try await node.sh("md5sum \(Self.file); sysctl -n \(Self.key)")
        #expect(try await node.run(SysctlModule.self, args(["value": "1"]), check: true).status == .changed)
        #expect(try await node.sh("md5sum \(Self.file); sysctl -n \(Self.key)") == before)
        #expect(try await node.sh("ls -a /etc/sysctl.d | grep -c capstan_sysctl || true") == "0")
    }

    @Test func absentRemovesTheLine() async throws {
        let node = try await freshNode("a.b=1\nnet.ipv4.ip_forward=1\n")
        defer { _Concurrency.Task { await node.close() } }
        #expect(try await node.run(SysctlModule.self, args(["state": "absent", "reload": false])).status == .changed)
        #expect(try await node.sh("cat \(Self.file)") == "a.b=1")
        #expect(try await node.run(SysctlModule.self, args(["state": "absent", "reload": false])).status == .ok)
    }

    @Test func reloadNoticesADriftedRunningValue() async throws {
        let node = try await freshNode("net.ipv4.ip_forward=1\n")
        defer { _Concurrency.Task { await node.close() } }
        #expect(try await node.run(SysctlModule.self, args(["value": "1", "reload": false])).status == .ok)
        #expect(try await node.run(SysctlModule.self, args(["value": "1"])).status == .changed)
        #expect(try await node.sh("sysctl -n \(Self.key)") == "1")
    }

    @Test func reloadFailureIsReported() async throws {
        let node = try await freshNode("capstan.no.such.key=1\n")
        defer { _Concurrency.Task { await node.close() } }
        let outcome = try await node.run(SysctlModule.self, args(["value": "1"]))
        #expect(outcome.status == .failed)
        #expect(outcome.fields["msg"]?.stringValue?.hasPrefix("Failed to reload sysctl: ") == true)
    }

    @Test func sysctlSetWritesTheRunningValue() async throws {
        let node = try await freshNode("net.ipv4.ip_forward=1\n")
        defer { _Concurrency.Task { await node.close() } }
        let outcome = try await node.run(SysctlModule.self, args(["value": "1", "reload": false, "sysctl_set": true]))
        #expect(outcome.status == .changed)
        #expect(try await node.sh("sysctl -n \(Self.key)") == "1")
    }

    @Test func readOnlyKeyFailsWithAnsiblesMessage() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let current = try await node.sh("sysctl -n kernel.pid_max")
        let outcome = try await node.run(
            SysctlModule.self,
            args([
                "name": "kernel.pid_max", "value": .string("\((Int(current) ?? 4096) - 1)"), "sysctl_set": true,
                "reload": false,
            ]))
        #expect(outcome.status == .failed)
        #expect(outcome.fields["msg"]?.stringValue?.hasPrefix("setting kernel.pid_max failed: ") == true)
        #expect(try await node.sh("sysctl -n kernel.pid_max") == current)
    }

    @Test func argumentErrors() {
        #expect(
            argumentError(SysctlModule.self, ["name": "a.b"])
                == "state is present but all of the following are missing: value")
        #expect(argumentError(SysctlModule.self, ["name": " ", "value": "1"]) == "name cannot be blank")
        #expect(argumentError(SysctlModule.self, ["name": "a.b", "value": ""]) == "value cannot be blank")
        #expect(argumentError(SysctlModule.self, ["name": "a.b", "state": "absent"]) == nil)
        #expect(SysctlModule.normalised("True") == "1" && SysctlModule.normalised(" 4096 ") == "4096")
    }
}
