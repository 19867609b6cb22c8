import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanModules
@testable import CapstanTransport

/// `wait_for` on lab node 2 (its sshd on port 22, listeners and files started later with
/// `systemd-run --on-active`). The lab's sshd listens on the node's own address only, so port 22 is
/// probed there.
@Suite(.serialized) struct WaitForModuleTests {
    static let nodeAddress = "\(LabNodes.subnet).12"

    func freshNode() async throws -> LabNode {
        let node = try await LabNode.open(2)
        try await node.sh(
            "systemctl stop capstan-wf-listener.timer capstan-wf-listener.service capstan-wf-file.timer"
                + " capstan-wf-file.service capstan-wf-file2.timer capstan-wf-file2.service 2>/dev/null; systemctl reset-failed 'capstan-wf-*' 2>/dev/null;"
                + " rm -f /root/capstan-wf; true")
        return node
    }

    @Test func openPortIsReadyAtOnce() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let outcome = try await node.run(
            WaitForModule.self, ["host": .string(Self.nodeAddress), "port": 22, "timeout": 10])
        #expect(outcome.status == .ok)
        #expect(outcome.fields["elapsed"] == 0 && outcome.fields["state"] == "started" && outcome.fields["port"] == 22)
    }

    @Test func portThatOpensLaterIsWaitedFor() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        try await node.sh(
            "systemd-run -q --unit capstan-wf-listener --on-active=2 --timer-property=AccuracySec=50ms /usr/bin/python3 -m http.server 18081 --bind 127.0.0.1"
        )
        let outcome = try await node.run(WaitForModule.self, ["port": 18081, "timeout": 30, "sleep": 1])
        #expect(outcome.status == .ok)
        #expect((outcome.fields["elapsed"].flatMap { if case .int(let i) = $0 { i } else { nil } } ?? 0) >= 1)
        try await node.sh("systemctl stop capstan-wf-listener.service")
        #expect(
            try await node.run(WaitForModule.self, ["port": 18081, "state": "stopped", "timeout": 10]).status == .ok)
    }

    @Test func closedPortTimesOutWithAnsiblesMessage() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let outcome = try await node.run(WaitForModule.self, ["port": 18999, "timeout": 2, "connect_timeout": 1])
        #expect(outcome.status == .failed)
        #expect(outcome.fields["msg"] == "Timeout when waiting for 127.0.0.1:18999")
        let custom = try await node.run(WaitForModule.self, ["port": 18999, "timeout": 1, "msg": "no listener"])
        #expect(custom.fields["msg"] == "no listener")
    }

    @Test func bannerSearchOnAPort() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let found = try await node.run(
            WaitForModule.self,
            [
                "host": .string(Self.nodeAddress), "port": 22, "search_regex": "OpenSSH_([0-9.]+)",
                "connect_timeout": 1, "timeout": 10,
            ])
        #expect(found.status == .ok)
        #expect(found.fields["match_groups"] == [])
        let absent = try await node.run(
            WaitForModule.self,
            [
                "host": .string(Self.nodeAddress), "port": 22, "search_regex": "Dropbear", "connect_timeout": 1,
                "timeout": 2,
            ])
        #expect(
            absent.fields["msg"] == .string("Timeout when waiting for search string Dropbear in \(Self.nodeAddress):22")
        )
    }

    @Test func fileAndStringInFile() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        try await node.sh(
            "systemd-run -q --unit capstan-wf-file --on-active=1 --timer-property=AccuracySec=50ms /bin/sh -c 'echo \"status ready 42\" > /root/capstan-wf'"
        )
        let outcome = try await node.run(
            WaitForModule.self, ["path": "/root/capstan-wf", "search_regex": "ready ([0-9]+)", "timeout": 20])
        #expect(outcome.status == .ok)
        #expect(outcome.fields["match_groups"] == ["42"])
        #expect(outcome.fields["path"] == "/root/capstan-wf")
        try await node.sh(
            "systemd-run -q --unit capstan-wf-file2 --on-active=1 --timer-property=AccuracySec=50ms /bin/rm -f /root/capstan-wf"
        )
        #expect(
            try await node.run(WaitForModule.self, ["path": "/root/capstan-wf", "state": "absent", "timeout": 20])
                .status == .ok)
        let missing = try await node.run(WaitForModule.self, ["path": "/root/capstan-wf", "timeout": 1])
        #expect(missing.fields["msg"] == "Timeout when waiting for file /root/capstan-wf")
    }

    @Test func drainedCountsTheHostsConnectionsButNotExcludedOnes() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        #expect(try await node.run(WaitForModule.self, ["port": 22, "state": "drained", "timeout": 5]).status == .ok)
        let busy = try await node.run(
            WaitForModule.self, ["host": .string(Self.nodeAddress), "port": 22, "state": "drained", "timeout": 1])
        #expect(busy.status == .failed)
        #expect(busy.fields["msg"] == .string("Timeout when waiting for \(Self.nodeAddress):22 to drain"))
        let excluded: OrderedDictionary<String, Value> = [
            "host": .string(Self.nodeAddress), "port": 22, "state": "drained", "timeout": 5,
            "exclude_hosts": .list([.string(LabNode.bridgeAddress)]),
        ]
        #expect(try await node.run(WaitForModule.self, excluded).status == .ok)
    }

    @Test func argumentErrors() {
        #expect(
            argumentError(WaitForModule.self, ["port": 1, "path": "/x"])
                == "parameters are mutually exclusive: port|path")
        #expect(
            argumentError(WaitForModule.self, ["path": "/x", "state": "stopped"])
                == "state=stopped should only be used for checking a port in the wait_for module")
        #expect(
            argumentError(WaitForModule.self, ["port": 1, "exclude_hosts": ["a"]])
                == "exclude_hosts should only be with state=drained")
        #expect(WaitForProgram.procAddress("10.231.2.1") == "0102E70A")
    }
}
