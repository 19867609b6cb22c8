import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanTemplating

/// Every case of the corpus against Ansible's own results: expressions rendered to native values, template
/// files rendered to text, and cases where Ansible fails must fail here too.
@Suite struct TemplatingCorpusTests {
    let templar = Templar()

    @Test func expressionsMatchAnsible() throws {
        setOracleEnvironment()
        let cases = try TemplatingFixtures.expressionCases()
        var passed = 0
        for c in cases {
            guard case .string(let expr) = c["expr"] ?? .null else { continue }
            let text = expr.contains("{{") || expr.contains("{%") ? expr : "{{ " + expr + " }}"
            let scope = try TemplatingFixtures.scope(adding: c["vars"])
            let outcome = Result { try templar.renderValue(text, scope: scope) }
            if let message = c["error"]?.stringValue {
                switch outcome {
                case .success(let v):
                    Issue.record("\(expr): expected an error (\(message)), got \(v.pythonRepr)")
                case .failure(let error):
                    let ours = (error as? TemplateError)?.message ?? "\(error)"
                    if let theirs = Self.undefinedMessage(message), ours != theirs {
                        Issue.record(
                            "\(expr): expected message \(theirs.debugDescription), got \(ours.debugDescription)")
                    } else {
                        passed += 1
                    }
                }
                continue
            }
            let expected = c["value"] ?? .null
            switch outcome {
            case .failure(let error):
                Issue.record("\(expr): expected \(expected.pythonRepr), got error: \(error)")
            case .success(let v):
                if v == expected && v.pythonTypeName == c["type"]?.stringValue {
                    passed += 1
                } else {
                    Issue.record(
                        "\(expr): expected \(expected.pythonRepr) (\(c["type"]?.pythonString ?? "")), got \(v.pythonRepr) (\(v.pythonTypeName))"
                    )
                }
            }
        }
        print("templating corpus: \(passed)/\(cases.count) expressions match Ansible")
        #expect(cases.count >= 300)
        #expect(passed == cases.count)
    }

    @Test func conditionalsMatchAnsible() throws {
        let cases = try TemplatingFixtures.conditionalCases()
        var passed = 0
        for c in cases {
            guard case .string(let expr) = c["expr"] ?? .null else { continue }
            let scope = try TemplatingFixtures.scope(adding: c["vars"])
            let outcome = Result { try templar.condition(expr, scope: scope) }
            switch (outcome, c["result"]) {
            case (.success(let b), .bool(let want)?):
                if b == want { passed += 1 } else { Issue.record("\(expr): expected \(want), got \(b)") }
            case (.failure(let error), nil):
                let theirs = (c["error"]?.stringValue ?? "").replacingOccurrences(
                    of: "Error while evaluating conditional: ", with: "")
                let ours = (error as? TemplateError)?.message ?? "\(error)"
                if ours == theirs {
                    passed += 1
                } else {
                    Issue.record("\(expr): expected error \(theirs.debugDescription), got \(ours.debugDescription)")
                }
            case (.success(let b), _):
                Issue.record("\(expr): expected an error, got \(b)")
            case (.failure(let error), _):
                Issue.record("\(expr): unexpected error \(error)")
            }
        }
        print("templating corpus: \(passed)/\(cases.count) conditionals match Ansible")
        #expect(passed == cases.count)
    }

    @Test func templatesMatchAnsible() throws {
        let names = try TemplatingFixtures.templateNames()
        let scope = try TemplatingFixtures.scope(adding: nil)
        templar.environment.loader = { name in try? TemplatingFixtures.text("templates/" + name) }
        var passed = 0
        for name in names {
            let source = try TemplatingFixtures.text("templates/\(name).j2")
            let expected = try Value(jsonText: TemplatingFixtures.text("expected/templates/\(name).json"))
            let outcome = Result {
                try Template(source, options: TemplatingFixtures.options(forTemplate: name)).renderFileText(
                    scope, environment: templar.environment, loader: nil)
            }
            switch (outcome, expected["text"]) {
            case (.success(let text), .string(let want)?):
                if text == want {
                    passed += 1
                } else {
                    Issue.record("\(name): expected\n\(want.debugDescription)\ngot\n\(text.debugDescription)")
                }
            case (.failure, nil):
                passed += 1
            case (.success(let text), _):
                Issue.record("\(name): expected an error, got \(text.debugDescription)")
            case (.failure(let error), _):
                Issue.record("\(name): unexpected error \(error)")
            }
        }
        print("templating corpus: \(passed)/\(names.count) templates match Ansible")
        #expect(names.count >= 30)
        #expect(passed == names.count)
    }

    /// Ansible's message for an undefined variable, attribute or mandatory value, without its wrapping;
    /// these messages users read, so they must match exactly. Nil for other errors.
    static func undefinedMessage(_ message: String) -> String? {
        // Python exceptions raised while rendering are not Ansible's undefined markers; their wording is Python's.
        if message.hasPrefix("Error rendering template: ") { return nil }
        var m = message
        if m.hasPrefix("The filter plugin "), let r = m.range(of: " failed: ") { m = String(m[r.upperBound...]) }
        let undefined =
            m.hasSuffix(" is undefined") || m.contains(" has no attribute ") || m.hasPrefix("Mandatory variable")
        return undefined ? m : nil
    }

    /// The oracle sets this variable for the `env` lookup case.
    private func setOracleEnvironment() { setenv("CAPSTAN_TEMPLATING_TEST", "from-env", 1) }
}
