import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanExecution
@testable import CapstanResults

/// `include_vars`, `add_host` and `group_by` against the results Ansible returned for the tasks of
/// Fixtures/output/inventory_actions.yml (recorded by Tests/oracles/output-expected.sh).
struct InventoryActionOracleTests {
    struct Case: Sendable, CustomStringConvertible {
        let task: String
        let action: any ControllerAction.Type
        let arguments: OrderedDictionary<String, Value>
        var vars: OrderedDictionary<String, Value> = [:]
        var description: String { task }
    }

    static let cases: [Case] = [
        Case(task: "Variables from a file", action: IncludeVarsAction.self, arguments: ["_raw_params": "common.yml"]),
        Case(
            task: "Variables from a folder, nested", action: IncludeVarsAction.self,
            arguments: ["dir": "vars/more", "name": "site", "ignore_files": ["skip.yml"]]),
        Case(
            task: "Only the top of a folder", action: IncludeVarsAction.self,
            arguments: ["dir": "vars/more", "depth": 1, "files_matching": "^site"]),
        Case(
            task: "Add a host", action: AddHostAction.self,
            arguments: ["name": "extra1:2022", "groups": ["added", "web"], "colour": "blue"]),
        Case(
            task: "Group by a value", action: GroupByAction.self,
            arguments: ["key": "colour red", "parents": ["by_colour"]]),
    ]

    @Test(arguments: cases)
    func resultMatchesAnsible(_ c: Case) async throws {
        var inTask = false
        var expected: HostResult?
        for event in try RecordedEvents.load("inventory_actions") {
            switch event {
            case .taskStarted(let info): inTask = info.name == c.task
            case .hostResult(let r) where inTask: expected = r
            default: break
            }
        }
        let recorded = try #require(expected)
        let fixtures = Fixtures.url("output").path
        let result = try await c.action.init(checking: c.arguments).run(
            ActionHarness.context(c.arguments, vars: c.vars, searchPaths: [fixtures], taskFile: "\(fixtures)/play.yml"))
        #expect(result.outcome.status == recorded.status)
        let shown = Self.shown(result.outcome.fields).replacingOccurrences(of: fixtures + "/", with: "")
        #expect(shown == Self.shown(recorded.fields))
    }

    static func shown(_ fields: OrderedDictionary<String, Value>) -> String {
        Value.dict(fields.filter { !PrintingActionOracleTests.executorKeys.contains($0.key) }).json(.nice)
    }
}
