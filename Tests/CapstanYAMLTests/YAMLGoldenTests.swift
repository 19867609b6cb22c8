import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanYAML

/// Compares the loader with PyYAML's `safe_load_all` on the corpus written by Tests/oracles/yaml-expected.py.
struct YAMLGoldenTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let yaml: String
        let expected: String?
        let error: String?
        var description: String { name }
    }

    static let fixtures = Fixtures.url("yaml")

    static func cases() throws -> [Case] {
        let text = try String(contentsOf: fixtures.appendingPathComponent("cases.json"), encoding: .utf8)
        guard case .list(let items) = try Value(jsonText: text) else { return [] }
        return items.map {
            Case(
                name: $0["name"]?.stringValue ?? "?", yaml: $0["yaml"]?.stringValue ?? "",
                expected: $0["expected"]?.stringValue, error: $0["error"]?.stringValue)
        }
    }

    @Test func corpusIsLargeEnough() throws {
        #expect(try Self.cases().count >= 40)
    }

    @Test(arguments: try YAMLGoldenTests.cases())
    func matchesPyYAML(_ c: Case) throws {
        var warnings: [Warning] = []
        if c.error != nil {
            #expect(throws: InputError.self) {
                try YAMLLoader.values(text: c.yaml, file: "case.yml", warnings: &warnings)
            }
            return
        }
        let got = try YAMLLoader.values(text: c.yaml, file: "case.yml", warnings: &warnings)
        let expected = try Value(jsonText: c.expected ?? "null")
        #expect(Value.list(got).json() == expected.json())
    }
}
