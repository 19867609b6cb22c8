import CapstanTestSupport
import Foundation

@testable import CapstanBasics
@testable import CapstanExecution

/// Runs `capstan play` on the cluster fixtures (`Fixtures/cluster/`) with this project's `roles/`,
/// and `ansible-playbook` from the venv on the same files, for the role tests.
enum ClusterPlay {
    static let roles = Fixtures.packageRoot.appendingPathComponent("roles").path
    static let ansiblePlaybook = Fixtures.packageRoot.appendingPathComponent(".build/venv/bin/ansible-playbook").path

    static func fixture(_ name: String) -> String { Fixtures.url("cluster/" + name).path }

    /// `capstan play` with JSON output on the test lab (or `inventory`); events read back.
    static func play(_ name: String, _ extra: [String] = [], inventory: String? = nil) throws -> PlayHarness.Run {
        let args =
            [
                "play", "-i", inventory ?? LabNodes.inventoryPath, "--known-hosts", LabNodes.knownHostsPath,
                "--roles-path", roles, "--output", "json",
            ] + extra + [fixture(name)]
        let result = try CapstanBinary.run(args)
        let events = result.out.split(separator: "\n").compactMap { try? Value(jsonText: String($0)) }
        return PlayHarness.Run(status: result.status, events: events, out: result.out, err: result.err)
    }

    /// `capstan play ARGS` in text mode.
    static func text(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let r = try CapstanBinary.run(["play", "--roles-path", roles, "--no-journal"] + arguments)
        return (r.status, r.out, r.err)
    }

    /// `ansible-playbook ARGS` with this project's roles.
    static func ansible(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        var env = ProcessInfo.processInfo.environment
        env["ANSIBLE_ROLES_PATH"] = roles
        env["ANSIBLE_NOCOLOR"] = "1"
        let r = try SpawnedProcess.run(ansiblePlaybook, arguments, environment: env)
        return (r.status, r.out, r.err)
    }

    /// The sum of `changed` over every host of a run's recap.
    static func changed(_ run: PlayHarness.Run) -> Int {
        guard case .dict(let hosts)? = run.events.last(where: { $0["event"] == "recap" })?["hosts"] else { return -1 }
        return hosts.values.reduce(0) { sum, counts in
            if case .int(let n)? = counts["changed"] { return sum + n }
            return sum
        }
    }
}
