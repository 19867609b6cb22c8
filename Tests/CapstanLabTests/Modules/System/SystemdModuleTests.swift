import CapstanTestSupport
import Collections
import Testing

@testable import CapstanBasics
@testable import CapstanModules

/// `systemd` and `service` against a real systemd on lab node 1, on a test unit of their own.
@Suite(.serialized) struct SystemdModuleTests {
    static let unit = "capstan-sd-test.service"
    static let unitFile = """
        [Unit]
        Description=Capstan systemd module test
        [Service]
        ExecStart=/bin/sleep infinity
        ExecReload=/bin/true
        [Install]
        WantedBy=multi-user.target

        """

    /// A node with the test unit installed, stopped, disabled and unmasked.
    func freshNode() async throws -> LabNode {
        let node = try await LabNode.open(1)
        try await node.sh(
            "systemctl unmask \(Self.unit) 2>/dev/null; systemctl disable --now \(Self.unit) 2>/dev/null;"
                + " rm -f /etc/systemd/system/\(Self.unit); mkdir -p /usr/local/lib/systemd/system")
        try await node.write(Self.unitFile, to: "/usr/local/lib/systemd/system/\(Self.unit)")
        try await node.sh("systemctl daemon-reload")
        return node
    }

    @Test func startIsIdempotentAndReportsStatus() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let first = try await node.run(
            SystemdModule.self, ["name": .string(Self.unit), "state": "started", "daemon_reload": true])
        #expect(first.status == .changed)
        #expect(first.fields["state"] == "started")
        #expect(first.fields["name"] == .string(Self.unit))
        #expect(first.fields["status"]?.dictValue?["ActiveState"] == "inactive")
        #expect(try await node.sh("systemctl is-active \(Self.unit)") == "active")
        let second = try await node.run(SystemdModule.self, ["name": .string(Self.unit), "state": "started"])
        #expect(second.status == .ok)
        #expect(second.fields["status"]?.dictValue?["ActiveState"] == "active")
    }

    @Test func checkModePredictsWithoutStopping() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        try await node.sh("systemctl start \(Self.unit)")
        let pid = try await node.sh("systemctl show -p MainPID --value \(Self.unit)")
        let predicted = try await node.run(
            SystemdModule.self, ["name": .string(Self.unit), "state": "stopped"], check: true)
        #expect(predicted.status == .changed)
        #expect(try await node.sh("systemctl is-active \(Self.unit)") == "active")
        #expect(try await node.sh("systemctl show -p MainPID --value \(Self.unit)") == pid)
        let enable = try await node.run(SystemdModule.self, ["name": .string(Self.unit), "enabled": true], check: true)
        #expect(enable.status == .changed)
        #expect(try await node.sh("systemctl is-enabled \(Self.unit) || true") == "disabled")
    }

    @Test func enableThenDisable() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let first = try await node.run(SystemdModule.self, ["name": .string(Self.unit), "enabled": "yes"])
        #expect(first.status == .changed)
        #expect(first.fields["enabled"] == true)
        #expect(try await node.sh("systemctl is-enabled \(Self.unit)") == "enabled")
        #expect(try await node.run(SystemdModule.self, ["name": .string(Self.unit), "enabled": true]).status == .ok)
        #expect(
            try await node.run(SystemdModule.self, ["name": .string(Self.unit), "enabled": false]).status == .changed)
        #expect(try await node.sh("systemctl is-enabled \(Self.unit) || true") == "disabled")
    }

    @Test func restartAlwaysChangesAndReplacesTheProcess() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        try await node.sh("systemctl start \(Self.unit)")
        let before = try await node.sh("systemctl show -p MainPID --value \(Self.unit)")
        let restarted = try await node.run(SystemdModule.self, ["name": .string(Self.unit), "state": "restarted"])
        #expect(restarted.status == .changed)
        #expect(restarted.fields["state"] == "started")
        #expect(try await node.sh("systemctl show -p MainPID --value \(Self.unit)") != before)
        #expect(
            try await node.run(SystemdModule.self, ["name": .string(Self.unit), "state": "reloaded"]).status == .changed
        )
    }

    @Test func maskAndUnmask() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        #expect(
            try await node.run(SystemdModule.self, ["name": .string(Self.unit), "masked": true]).status == .changed)
        #expect(try await node.sh("systemctl show -p LoadState --value \(Self.unit)") == "masked")
        #expect(try await node.run(SystemdModule.self, ["name": .string(Self.unit), "masked": true]).status == .ok)
        #expect(
            try await node.run(SystemdModule.self, ["name": .string(Self.unit), "masked": false]).status == .changed)
        #expect(try await node.sh("systemctl show -p LoadState --value \(Self.unit)") == "loaded")
    }

    @Test func missingUnitFailsAsAnsible() async throws {
        let node = try await LabNode.open(1)
        defer { _Concurrency.Task { await node.close() } }
        let outcome = try await node.run(SystemdModule.self, ["name": "capstan-no-such-unit", "state": "started"])
        #expect(outcome.status == .failed)
        #expect(outcome.fields["msg"] == "Could not find the requested service capstan-no-such-unit: host")
    }

    @Test func serviceDelegatesToSystemd() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let args: OrderedDictionary<String, Value> = ["name": .string(Self.unit), "state": "started", "enabled": true]
        let first = try await node.run(ServiceModule.self, args)
        #expect(first.status == .changed)
        #expect(
            try await node.sh("systemctl is-active \(Self.unit); systemctl is-enabled \(Self.unit)")
                == "active\nenabled")
        #expect(try await node.run(ServiceModule.self, args).status == .ok)
        #expect(
            try await node.run(ServiceModule.self, ["name": .string(Self.unit), "state": "stopped"]).status == .changed)
    }

    @Test func argumentErrors() {
        #expect(
            argumentError(SystemdModule.self, ["state": "started"]) == "missing parameter(s) required by 'state': name")
        #expect(
            argumentError(SystemdModule.self, ["name": "x", "state": "running"])
                == "value of state must be one of: reloaded, restarted, started, stopped, got: running")
        #expect(
            argumentError(SystemdModule.self, ["name": "ssh*", "state": "started"])
                == "This module does not currently support using glob patterns, found '*' in service name: ssh*")
        #expect(argumentError(ServiceModule.self, ["name": "ssh"]) == nil)
        #expect(argumentError(SystemdModule.self, ["name": "ssh"]) == nil)
    }
}
