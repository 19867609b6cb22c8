import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanTemplating

/// The collection filters against Ansible with the collections installed
/// (Tests/oracles/filters-expected.py): ansible.utils' `ipaddr` family on netaddr, community.general's
/// `json_query` on jmespath and `dict`, and `urlsplit` and `password_hash` (passlib) from ansible-core.
/// A case Ansible refuses must be refused; a value must be the same value.
@Suite struct CollectionFilterTests {
    let templar = Templar()

    @Test func casesMatchAnsible() throws {
        let lines = try Fixtures.text("templating/expected/filters.jsonl").split(separator: "\n")
        #expect(lines.count >= 300)
        let variables = try Value(jsonText: Fixtures.text("templating/filters/vars.json")).dictValue ?? [:]
        let scope = DictionaryScope(variables)
        var mismatches = 0
        for line in lines {
            let c = try Value(jsonText: String(line))
            let expr = c["expr"]?.stringValue ?? ""
            let outcome = Result { try templar.renderValue("{{ " + expr + " }}", scope: scope) }
            switch (outcome, c["error"]?.stringValue) {
            case (.success(let v), nil):
                if v != c["value"] { mismatches += 1 }
                #expect(v == c["value"], "\(expr)")
            case (.failure, _?):
                break
            case (.success(let v), let theirs?):
                mismatches += 1
                Issue.record("\(expr): expected an error (\(theirs)), got \(v.pythonRepr)")
            case (.failure(let error), nil):
                mismatches += 1
                Issue.record("\(expr): expected \(c["value"]?.pythonRepr ?? ""), got \(error)")
            }
        }
        #expect(mismatches == 0)
    }

    @Test func passwordHashWithoutSaltMakesAFreshSaltOfPasslibsLength() throws {
        let first = try templar.render("{{ 'pw' | password_hash('sha512', rounds=5000) }}", scope: DictionaryScope())
        let second = try templar.render("{{ 'pw' | password_hash('sha512', rounds=5000) }}", scope: DictionaryScope())
        #expect(first != second)
        let parts = first.split(separator: "$")
        #expect(parts.count == 3 && parts[0] == "6" && parts[1].count == 16 && parts[2].count == 86)
        let again = try templar.render(
            "{{ 'pw' | password_hash('sha512', '\(parts[1])', rounds=5000) }}", scope: DictionaryScope())
        #expect(again == first)
        let md5 = try templar.render("{{ 'pw' | password_hash('md5') }}", scope: DictionaryScope())
        #expect(md5.hasPrefix("$1$") && md5.split(separator: "$")[1].count == 8)
        let short = try templar.render("{{ 'pw' | password_hash('sha256', salt_size=4) }}", scope: DictionaryScope())
        #expect(short.hasPrefix("$5$rounds=535000$") && short.split(separator: "$")[2].count == 4)
    }

    @Test func unsupportedJMESPathIsAnErrorNamingTheColumn() {
        for expression in ["a[?b ==", "a.[", "a ~ b", "&a", "length(@, @)"] {
            #expect(throws: TemplateError.self, "\(expression)") {
                try templar.render("{{ {'a': [1]} | json_query('\(expression)') }}", scope: DictionaryScope())
            }
        }
        let deep = String(repeating: "(", count: 500) + "a" + String(repeating: ")", count: 500)
        #expect(throws: TemplateError.self) {
            try templar.render("{{ {'a': 1} | json_query('\(deep)') }}", scope: DictionaryScope())
        }
    }
}
