import CapstanTestSupport
import Collections
import Testing

@testable import CapstanBasics
@testable import CapstanModules
@testable import CapstanResults

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

    /// The key's value in the file is found by the shell in a short file and by awk past the shell's
    /// share of bytes (the padding): both must read it as Ansible does (trimmed, comments skipped, split
    /// at the first `=`, the last line for the key winning).
    @Test(arguments: [false, true])
    func fileValueIsReadTheSameByShellAndAwk(padded: Bool) async throws {
        let padding =
            padded ? String(repeating: "# padding that takes the file past the shell's share\n", count: 12) : ""
        let cases: [(content: String, status: TaskStatus)] = [
            ("\t net.ipv4.ip_forward\t=\t1 \r\n", .ok),
            ("net.ipv4.ip_forward\u{0C}=\u{0B}1\u{0B}\n", .ok),
            ("net.ipv4.ip_forward=1\nnet.ipv4.ip_forward = 0\n", .changed),
            ("net.ipv4.ip_forward=0\nnet.ipv4.ip_forward=1", .ok),
            ("; net.ipv4.ip_forward=1\n# net.ipv4.ip_forward=1\nnet.ipv4.ip_forward\n", .changed),
            ("net.ipv4.ip_forward.x=1\nother = net.ipv4.ip_forward=1\n", .changed),
            ("net.ipv4.ip_forward = 1 = 2\n", .changed),
        ]
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        for (content, status) in cases {
            try await node.write(padding + content, to: Self.file)
            let outcome = try await node.run(SysctlModule.self, args(["value": "1", "reload": false]), check: true)
            #expect(outcome.status == status, "\(content.debugDescription)")
        }
        try await node.write(padding + "net.ipv4.ip_forward = 1 = 2\n", to: Self.file)
        #expect(try await node.run(SysctlModule.self, args(["value": "1 = 2", "reload": false])).status == .ok)
    }

    /// The running value comes from the key's /proc/sys file; keys that name none go to `sysctl`.
    @Test func procFileOfAKey() async throws {
        #expect(SysctlModule.procFile("net.ipv4.ip_forward") == "/proc/sys/net/ipv4/ip_forward")
        #expect(SysctlModule.procFile("net.ipv4.conf.eth0/1.forwarding") == "/proc/sys/net/ipv4/conf/eth0.1/forwarding")
        for odd in ["net..ipv4", ".net.ipv4", "net.ipv4.", "/proc/x", "kernel.*", "a b", "net./.x"] {
            #expect(SysctlModule.procFile(odd) == nil, "\(odd)")
        }
        // A key given with slashes names no such file: `sysctl` reads its running value instead.
        let node = try await freshNode("net/ipv4/ip_forward=1\n")
        defer { _Concurrency.Task { await node.close() } }
        try await node.sh("sysctl -q -w \(Self.key)=1")
        var slashed = args(["value": "1"])
        slashed["name"] = "net/ipv4/ip_forward"
        #expect(try await node.run(SysctlModule.self, slashed, check: true).status == .ok)
        try await node.sh("sysctl -q -w \(Self.key)=0")
        #expect(try await node.run(SysctlModule.self, slashed, check: true).status == .changed)
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
