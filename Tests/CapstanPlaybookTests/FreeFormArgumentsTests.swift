import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanPlaybook

/// Checks the `k=v` splitter against what Ansible's `parse_kv` produced for the same strings
/// (Tests/oracles/freeform-expected.py).
@Suite struct FreeFormArgumentsTests {
    struct Case: Decodable {
        let text: String
        let options: [String: String]?
        let raw_options: [String: String]?
    }

    static let cases: [Case] = {
        let data = try! Data(contentsOf: Fixtures.url("modules/freeform-expected.json"))
        return try! JSONDecoder().decode([Case].self, from: data)
    }()

    @Test func corpusIsLargeEnough() {
        #expect(Self.cases.count >= 40)
    }

    @Test(arguments: cases.indices)
    func matchesAnsible(index: Int) {
        let c = Self.cases[index]
        for (expected, keepRaw) in [(c.options, false), (c.raw_options, true)] {
            let actual = try? FreeFormArguments.parse(c.text, keepRaw: keepRaw)
            let actualDict = actual.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.key, $0.value) }) }
            #expect(actualDict == expected, "text: \(c.text.debugDescription), keepRaw: \(keepRaw)")
        }
    }

    @Test func unbalancedQuotesAreAnError() {
        #expect(throws: FreeFormArguments.SplitError.self) { try FreeFormArguments.parse("echo 'oops") }
    }
}
