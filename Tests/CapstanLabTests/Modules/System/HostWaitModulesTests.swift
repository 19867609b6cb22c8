import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanModules
@testable import CapstanTransport

/// `wait_for_connection` and `reboot` on node 3 of the transport tests' lab (whose nodes may lose
/// sshd; the first lab's nodes stay untouched), whose sshd is stopped, frozen and its sessions
/// killed by timers on the node itself (`systemd-run --on-active`), so that the test's own session
/// dies with the others. A lab node shares the host's kernel, so its boot id never changes and a real
/// reboot ends the node's systemd for good (until `lab up`): the reboot tests stand in for one with a
/// `reboot_command` that drops every session, keeps sshd down for a while and writes a new "boot id"
/// that `boot_time_command` reads.
@Suite(.serialized) struct HostWaitModulesTests {
    /// Stops sshd, kills every session (this test's too), then after `down` seconds writes a new boot id
    /// and starts sshd again; begins one second from now.
    static func outage(down: Int) -> String {
        "systemd-run --quiet --collect --on-active=1 --timer-property=AccuracySec=50ms /bin/sh -c 'systemctl stop ssh; pkill -x sshd; sleep \(down);"
            + " date +%s%N >/run/capstan-rb-boot; systemctl start ssh'"
    }

    func node() async throws -> LabNode {
        let connection = SSHConnection(endpoint: try LabNodes.up(3, lab: .transport)[2].endpoint)
        // A previous test's outage may still be ending.
        for _ in 0..<30 {
            if (try? await connection.run("true").succeeded) == true { break }
            try await Task.sleep(for: .seconds(1))
        }
        let node = LabNode(connection: connection)
        try await node.sh("systemctl start ssh; rm -f /run/capstan-rb-boot")
        return node
    }

    func seconds(_ value: Value?) -> Int {
        if case .int(let i)? = value { return i }
        return -1
    }

    @Test func answersAtOnceAndSkipsInCheckMode() async throws {
        let node = try await node()
        defer { _Concurrency.Task { await node.close() } }
        let ready = try await node.run(WaitForConnectionModule.self, ["timeout": 10])
        #expect(ready.status == .ok && ready.fields["elapsed"] == 0 && ready.fields["changed"] == false)
        let check = try await node.run(WaitForConnectionModule.self, [:], check: true)
        #expect(check.status == .skipped)
    }

    @Test func reconnectsAfterEverySessionWasKilled() async throws {
        let node = try await node()
        defer { _Concurrency.Task { await node.close() } }
        try await node.sh(Self.outage(down: 3))
        try await Task.sleep(for: .seconds(2))
        let begin = ContinuousClock.now
        let back = try await node.run(WaitForConnectionModule.self, ["timeout": 30, "connect_timeout": 2])
        #expect(back.status == .ok, "\(back.fields)")
        #expect(ContinuousClock.now - begin >= .seconds(1))
        #expect(try await node.sh("cat /run/capstan-rb-boot").count > 5)
    }

    @Test func sshdDownTimesOutOnTime() async throws {
        let node = try await node()
        defer { _Concurrency.Task { await node.close() } }
        try await node.sh(Self.outage(down: 12))
        try await Task.sleep(for: .seconds(2))
        let begin = ContinuousClock.now
        let down = try await node.run(WaitForConnectionModule.self, ["timeout": 3, "connect_timeout": 1, "sleep": 1])
        let took = ContinuousClock.now - begin
        #expect(down.status == .failed)
        #expect(down.fields["msg"]?.stringValue?.hasPrefix("timed out waiting for ping module test: ") == true)
        #expect(took < .seconds(6), "took \(took)")
        #expect((3...5).contains(seconds(down.fields["elapsed"])))
        let back = try await node.run(WaitForConnectionModule.self, ["timeout": 40])
        #expect(back.status == .ok)
    }

    /// A frozen sshd accepts TCP but never answers: connects block for the endpoint's connect timeout
    /// (10 s), yet the task ends at its own timeout.
    @Test func frozenSSHDoesNotHoldPastTheTimeout() async throws {
        let node = try await node()
        defer { _Concurrency.Task { await node.close() } }
        try await node.sh(
            "systemd-run --quiet --collect --on-active=1 --timer-property=AccuracySec=50ms /bin/sh -c 'pkill -STOP -x sshd; sleep 12; pkill -CONT -x sshd'"
        )
        try await Task.sleep(for: .seconds(2))
        let begin = ContinuousClock.now
        let frozen = try await node.run(WaitForConnectionModule.self, ["timeout": 3, "connect_timeout": 1])
        let took = ContinuousClock.now - begin
        #expect(frozen.status == .failed)
        #expect(took < .seconds(6), "took \(took)")
        let back = try await node.run(WaitForConnectionModule.self, ["timeout": 40, "connect_timeout": 5])
        #expect(back.status == .ok, "\(back.fields)")
    }

    @Test func rebootWaitsForANewBootAndTheTestCommand() async throws {
        let node = try await node()
        defer { _Concurrency.Task { await node.close() } }
        let outcome = try await node.run(
            RebootModule.self,
            [
                "reboot_command": .string(Self.outage(down: 2)),
                "boot_time_command": "cat /run/capstan-rb-boot 2>/dev/null || echo first",
                "test_command": "test -s /run/capstan-rb-boot", "connect_timeout": 3, "reboot_timeout": 60,
            ])
        #expect(outcome.status == .changed, "\(outcome.fields)")
        #expect(outcome.fields["rebooted"] == true)
        #expect(seconds(outcome.fields["elapsed"]) >= 2)
        #expect(try await node.sh("cat /run/capstan-rb-boot").count > 5)
    }

    @Test func rebootThatNeverHappensTimesOut() async throws {
        let node = try await node()
        defer { _Concurrency.Task { await node.close() } }
        let begin = ContinuousClock.now
        let outcome = try await node.run(
            RebootModule.self, ["reboot_command": "true", "boot_time_command": "echo same", "reboot_timeout": 3])
        #expect(ContinuousClock.now - begin < .seconds(8))
        #expect(outcome.status == .failed)
        #expect(outcome.fields["msg"] == "Timed out waiting for last boot time check (timeout=3)")
        #expect(outcome.fields["rebooted"] == true)
    }

    @Test func rebootFailuresAndCheckMode() async throws {
        let node = try await node()
        defer { _Concurrency.Task { await node.close() } }
        let check = try await node.run(RebootModule.self, [:], check: true)
        #expect(check.status == .changed && check.fields["rebooted"] == true && check.fields["elapsed"] == 0)
        let missing = try await node.run(
            RebootModule.self, ["reboot_command": "capstan-no-reboot now", "search_paths": ["/usr/sbin", "/nope"]])
        #expect(
            missing.fields["msg"]
                == "Task failed: Unable to find command \"capstan-no-reboot\" in search paths: ['/usr/sbin', '/nope']")
        let failing = try await node.run(RebootModule.self, ["reboot_command": "false"])
        #expect(
            failing.fields["msg"] == "Reboot command failed. Error was: ', '" && failing.fields["rebooted"] == false)
        let noBootTime = try await node.run(RebootModule.self, ["boot_time_command": "exit 3"])
        #expect(noBootTime.status == .failed && noBootTime.fields["reboot"] == false)
        let local = LocalConnection()
        let checked = try ModuleArguments([:], spec: RebootModule.spec, module: "reboot")
        let refused = try await RebootModule(arguments: checked).run(
            in: ModuleContext(host: "localhost", connection: local))
        #expect(refused.fields["msg"] == "Running reboot with local connection would reboot the control node.")
    }
}
