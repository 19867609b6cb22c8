import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanTemplating

/// Ansible's `escape_backslashes`: templates from YAML keep the backslashes of `{{ }}` string literals as
/// written; conditionals and template files do not. Expected results come from Ansible's Templar
/// (Tests/oracles/templating-expected.py).
@Suite struct BackslashEscapingTests {
    /// A playbook run's templar: strings come from YAML.
    let yamlTemplar = Templar(defaultOptions: .ansibleYAML)

    @Test func yamlStringsMatchAnsible() throws {
        let cases = try TemplatingFixtures.text("expected/yaml-strings.jsonl").split(separator: "\n").map {
            try Value(jsonText: String($0))
        }
        var passed = 0
        for c in cases {
            guard case .string(let source) = c["template"] ?? .null else { continue }
            let scope = try TemplatingFixtures.scope(adding: nil)
            let outcome = Result { try yamlTemplar.renderValue(source, scope: scope) }
            switch (outcome, c["error"]) {
            case (.failure, _?): passed += 1
            case (.success(let v), _?): Issue.record("\(source.debugDescription): expected an error, got \(v)")
            case (.failure(let error), nil):
                Issue.record("\(source.debugDescription): expected \(c["value"] ?? .null), got error \(error)")
            case (.success(let v), nil):
                if v == c["value"] && v.pythonTypeName == c["type"]?.stringValue {
                    passed += 1
                } else {
                    Issue.record("\(source.debugDescription): expected \(c["value"] ?? .null), got \(v.pythonRepr)")
                }
            }
        }
        #expect(cases.count >= 20)
        #expect(passed == cases.count)
    }

    /// The same cases differ without escaping, so the test above can fail.
    @Test func plainJinjaDecodesEscapes() throws {
        let scope = DictionaryScope([:])
        #expect(try Templar().render("{{ 'a\\nb' }}", scope: scope) == "a\nb")
        #expect(try yamlTemplar.render("{{ 'a\\nb' }}", scope: scope) == "a\\nb")
    }

    @Test func conditionalExpressionsKeepJinjaEscapes() throws {
        let scope = DictionaryScope([:])
        #expect(try yamlTemplar.condition("'x\\\\y' | length == 3", scope: scope))
        #expect(try yamlTemplar.condition("{{ 'x\\\\y' | length == 4 }}", scope: scope))
    }

    /// The template module's files are not escaped, even by a playbook run's templar.
    @Test func templateFilesKeepJinjaEscapes() throws {
        let path = TemplatingFixtures.root.appendingPathComponent("templates/backslashes.j2").path
        let expected = try Value(jsonText: TemplatingFixtures.text("expected/templates/backslashes.json"))
        let text = try yamlTemplar.renderFile(at: path, scope: DictionaryScope([:]))
        #expect(.string(text) == expected["text"])
    }

    /// Escaping changes what a literal means, never where it ends: error places stay the same.
    @Test func unterminatedLiteralStillFails() {
        #expect(throws: TemplateError.self) { try yamlTemplar.render("{{ '\\' }}", scope: DictionaryScope([:])) }
    }
}
