import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanExecution

extension PlaybookLabTests {
    /// Variable precedence, table-driven: each `v_<level>` is set at its level and at every lower
    /// one (Tests/oracles/precedence-fixture.py), so the value names the level that won. Expected
    /// values are ansible-playbook's (Tests/oracles/precedence-expected.sh).
    @Suite struct Precedence {
        @Test func everyLevelBeatsTheLevelsBelowItAsInAnsible() throws {
            let dir = Fixtures.url("execution/precedence").path
            let expected = try Value(jsonText: Fixtures.text("execution/precedence-expected.json"))
            let run = try PlayHarness.play(
                "precedence/playbook.yml", ["-i", dir + "/inventory/hosts.ini", "-e", "@" + dir + "/extra.yml"])
            #expect(run.status == 0, "\(run.err)")
            let message = try #require(run.messages("prec : show precedence")["node-01"]?.stringValue)
            let got = try Value(jsonText: message)
            guard case .dict(let want) = expected, case .dict(let have) = got else {
                Issue.record("not mappings: \(expected) \(got)")
                return
            }
            #expect(want.count == 18)
            for (name, value) in want {
                #expect(have[name] == value, "v_\(name)")
            }
        }
    }
}
