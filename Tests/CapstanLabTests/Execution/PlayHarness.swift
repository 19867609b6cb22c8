import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanExecution

/// Every playbook lab test, one at a time: some stop sshd on a node or write marker files.
@Suite(.serialized) enum PlaybookLabTests {}

/// Runs `capstan play` on a fixture playbook against the test lab with JSON output, and reads the
/// events back.
enum PlayHarness {
    /// One finished run.
    struct Run {
        var status: Int32
        var events: [Value]
        var out: String
        var err: String

        /// `host_result` events of the task named `task` (all tasks when nil).
        func results(_ task: String? = nil) -> [Value] {
            var current: String?
            var found: [Value] = []
            for e in events {
                if e["event"] == "task_start" { current = e["name"]?.stringValue }
                if e["event"] == "host_result", task == nil || current == task { found.append(e) }
            }
            return found
        }

        /// The hosts with a result for `task`, in event order.
        func hosts(_ task: String) -> [String] { results(task).compactMap { $0["host"]?.stringValue } }

        /// The `msg` each host's debug task printed.
        func messages(_ task: String) -> [String: Value] {
            var m: [String: Value] = [:]
            for r in results(task) { if let h = r["host"]?.stringValue { m[h] = r["result"]?["msg"] } }
            return m
        }

        /// The recap counters of a host.
        func recap(_ host: String) -> Value? { events.last { $0["event"] == "recap" }?["hosts"]?[host] }

        /// Task names in the order they started.
        var taskNames: [String] {
            events.filter { $0["event"] == "task_start" }.compactMap { $0["name"]?.stringValue }
        }
    }

    static func fixture(_ name: String) -> String { Fixtures.url("execution/" + name).path }

    /// Runs a fixture playbook (`name` under Fixtures/execution) on the lab's inventory, or `inventory`.
    static func play(_ name: String, _ extra: [String] = [], inventory: String? = nil) throws -> Run {
        _ = try LabNodes.up(3)
        let args =
            [
                "play", "-i", inventory ?? LabNodes.inventoryPath, "--known-hosts", LabNodes.knownHostsPath,
                "--output", "json",
            ]
            + extra + [fixture(name)]
        let result = try CapstanBinary.run(args)
        let events = result.out.split(separator: "\n").compactMap { try? Value(jsonText: String($0)) }
        return Run(status: result.status, events: events, out: result.out, err: result.err)
    }
}
