import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanOutput

/// `UnifiedDiff` against Python's `difflib.unified_diff` on generated inputs
/// (Tests/oracles/difflib-expected.py writes Fixtures/output/difflib/cases.json).
struct UnifiedDiffTests {
    @Test func matchesDifflib() throws {
        let cases = try Value(jsonText: Fixtures.text("output/difflib/cases.json")).listValue ?? []
        #expect(cases.count >= 30)
        for (index, c) in cases.enumerated() {
            let lines = { (key: String) in (c[key]?.listValue ?? []).compactMap(\.stringValue) }
            let got = UnifiedDiff(lines("a"), lines("b")).lines(from: "before", to: "after: f")
            #expect(got == lines("diff"), "case \(index)")
        }
    }

    @Test func equalInputsGiveNoDiff() {
        #expect(UnifiedDiff(["a\n"], ["a\n"]).lines(from: "x", to: "y").isEmpty)
    }

    @Test func diffTextNotesAMissingFinalNewline() {
        let text = DiffText.render(["before": "a\n", "after": "a\nb"], style: TerminalStyle(enabled: false))
        #expect(text == "--- before\n+++ after\n@@ -1 +1,2 @@\n a\n+b\n\\ No newline at end of file\n\n")
    }
}
