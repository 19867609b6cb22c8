import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanExecution
@testable import CapstanResults

/// `debug`, `assert` and `fail` against the results Ansible's own actions returned for the same tasks
/// (recorded by Tests/oracles/output-expected.sh in Fixtures/output/expected/*.events.jsonl).
struct PrintingActionOracleTests {
    struct Case: Sendable, CustomStringConvertible {
        let playbook: String
        let task: String
        let host: String
        let action: any ControllerAction.Type
        let arguments: OrderedDictionary<String, Value>
        let vars: OrderedDictionary<String, Value>
        var description: String { "\(playbook): \(task)" }
    }

    static let cases: [Case] = [
        Case(
            playbook: "debug", task: "A plain message", host: "localhost", action: DebugAction.self,
            arguments: ["msg": "hello world"], vars: [:]),
        Case(
            playbook: "debug", task: "A variable", host: "localhost", action: DebugAction.self,
            arguments: ["var": "nested"], vars: ["nested": ["a": 1, "b": ["x", "y"]]]),
        Case(
            playbook: "debug", task: "An undefined variable", host: "localhost", action: DebugAction.self,
            arguments: ["var": "not_defined_anywhere"], vars: [:]),
        Case(
            playbook: "debug", task: "A list message", host: "localhost", action: DebugAction.self,
            arguments: ["msg": ["one", 2, true]], vars: [:]),
        Case(
            playbook: "debug", task: "A dict message", host: "localhost", action: DebugAction.self,
            arguments: ["msg": ["key": "value", "n": 3]], vars: [:]),
        Case(
            playbook: "debug", task: "Only with -v", host: "localhost", action: DebugAction.self,
            arguments: ["msg": "hidden", "verbosity": 1], vars: [:]),
        Case(
            playbook: "status", task: "Assert something true", host: "node2", action: AssertAction.self,
            arguments: ["that": ["colour == 'blue'"]], vars: ["colour": "blue"]),
        Case(
            playbook: "status", task: "Assert quietly", host: "node2", action: AssertAction.self,
            arguments: ["that": "colour == 'blue'", "quiet": true], vars: ["colour": "blue"]),
        Case(
            playbook: "failures", task: "Fail but carry on", host: "node2", action: FailAction.self,
            arguments: ["msg": "this failure is ignored"], vars: [:]),
        Case(
            playbook: "failures", task: "A false assertion, ignored", host: "localhost", action: AssertAction.self,
            arguments: ["that": ["1 == 2"], "fail_msg": "one is not two"], vars: [:]),
        Case(
            playbook: "failures", task: "Now localhost fails too", host: "localhost", action: FailAction.self,
            arguments: [:], vars: [:]),
    ]

    /// Keys Ansible's executor adds or removes around an action (`failed`/`skipped` become the status,
    /// `exception` is its error summary), left out on both sides.
    static let executorKeys: Set<String> = ["failed", "skipped", "exception", "_ansible_no_log"]

    @Test(arguments: cases)
    func resultMatchesAnsible(_ c: Case) async throws {
        let events = try RecordedEvents.load(c.playbook)
        var inTask = false
        var expected: HostResult?
        for event in events {
            switch event {
            case .taskStarted(let info): inTask = info.name == c.task
            case .hostResult(let r) where inTask && r.host == c.host && r.itemLabel == nil: expected = r
            default: break
            }
        }
        let recorded = try #require(expected, "no recorded result for \(c)")
        let result = try await c.action.init(checking: c.arguments).run(
            ActionHarness.context(c.arguments, vars: c.vars))
        #expect(result.outcome.status == recorded.status)
        #expect(Self.shown(result.outcome.fields) == Self.shown(recorded.fields))
    }

    static func shown(_ fields: OrderedDictionary<String, Value>) -> String {
        Value.dict(fields.filter { !executorKeys.contains($0.key) }).json(.nice)
    }
}
