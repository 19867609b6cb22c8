import Collections
import Testing

@testable import CapstanBasics
@testable import CapstanTemplating

/// The public API: render to text and to values, undefined errors, scopes, extension tables, caching.
@Suite struct TemplateRenderingTests {
    let templar = Templar()

    @Test func undefinedVariableErrorNamesItAndItsLine() throws {
        let origin = CapstanBasics.SourceLocation(file: "templates/app.conf.j2", line: 1, column: 1)
        do {
            _ = try templar.render("a\nb {{ missing_var }}\n", scope: DictionaryScope(), origin: origin)
            Issue.record("expected an error")
        } catch let error as TemplateError {
            #expect(error.message == "'missing_var' is undefined")
            #expect(error.isUndefined)
            #expect(error.line == 2)
            #expect(error.location?.line == 2)
            #expect(error.description.hasPrefix("templates/app.conf.j2:2:"))
        }
    }

    @Test func undefinedInsideLoopBodyReportsTheBodyLine() throws {
        let source = "{% for x in [1] %}\n\n{{ x.nope }}\n{% endfor %}"
        #expect { try templar.render(source, scope: DictionaryScope()) } throws: { error in
            guard let e = error as? TemplateError else { return false }
            return e.line == 3 && e.message == "object of type 'int' has no attribute 'nope'"
        }
    }

    @Test func renderValueKeepsNativeTypes() throws {
        let scope = DictionaryScope(["ports": [80, 443], "n": 3, "s": "x"])
        #expect(try templar.renderValue("{{ ports }}", scope: scope) == [80, 443])
        #expect(try templar.renderValue("{{ n * 2 }}", scope: scope) == 6)
        #expect(try templar.renderValue("port {{ n }}", scope: scope) == "port 3")
        #expect(try templar.renderValue("{{ n }}{{ n }}", scope: scope) == "33")
        #expect(try templar.renderValue("no template", scope: scope) == "no template")
        #expect(try templar.renderValue("{% if false %}x{% endif %}", scope: scope) == .null)
        #expect(try templar.render("{{ ports }}", scope: scope) == "[80, 443]")
    }

    @Test func isTemplatedIsACheapSyntaxCheck() {
        #expect(Templar.isTemplated("{{ x }}"))
        #expect(Templar.isTemplated("a {% if %}"))
        #expect(Templar.isTemplated("{# c #}"))
        #expect(!Templar.isTemplated("plain { text } with % and #"))
        #expect(!Templar.isTemplated(""))
    }

    /// A scope that templates variables whose values are templates, on first access, as the engine's will.
    final class LazyScope: VariableScope {
        let raw: [String: String]
        let templar: Templar
        var lookups: [String] = []
        init(_ raw: [String: String], templar: Templar) {
            self.raw = raw
            self.templar = templar
        }
        func lookup(_ name: String) throws -> Value? {
            lookups.append(name)
            guard let text = raw[name] else { return nil }
            return try templar.renderValue(text, scope: self)
        }
    }

    @Test func scopesResolveLazily() throws {
        let scope = LazyScope(
            ["a": "{{ b }}-x", "b": "{{ c | upper }}", "c": "deep", "unused": "{{ nope }}"], templar: templar)
        #expect(try templar.render("{{ a }}", scope: scope) == "DEEP-x")
        #expect(scope.lookups == ["a", "b", "c"])
    }

    @Test func environmentTablesCanBeExtended() throws {
        let env = TemplateEnvironment()
        env.registerFilter("double") { args in try JinjaPythonOperators.binary("*", args.input, 2) }
        env.registerTest("port") { args in
            guard case .int(let p) = args.input else { return false }
            return (1...65535).contains(p)
        }
        env.lookups["items"] = { args in .list(args.positional) }
        env.functions["now"] = { _ in "2026-01-01" }
        let custom = Templar(environment: env)
        let scope = DictionaryScope(["p": 8080])
        #expect(try custom.renderValue("{{ p | double }}", scope: scope) == 16160)
        #expect(try custom.renderValue("{{ p | ansible.builtin.double }}", scope: scope) == 16160)
        #expect(try custom.renderValue("{{ p is port }}", scope: scope) == true)
        #expect(try custom.renderValue("{{ 0 is port }}", scope: scope) == false)
        #expect(try custom.renderValue("{{ lookup('items', 'a', 'b') }}", scope: scope) == "a,b")
        #expect(try custom.renderValue("{{ query('items', 'a', 'b') }}", scope: scope) == ["a", "b"])
        #expect(try custom.renderValue("{{ now() }}", scope: scope) == "2026-01-01")
        #expect(throws: TemplateError.self) { try templar.renderValue("{{ p | double }}", scope: scope) }
    }

    @Test func envLookupReadsTheProcessEnvironment() throws {
        #expect(try templar.renderValue("{{ lookup('env', 'PATH') | length > 0 }}", scope: DictionaryScope()) == true)
        #expect(
            try templar.renderValue("{{ lookup('env', 'CAPSTAN_SURELY_UNSET_VAR') }}", scope: DictionaryScope()) == "")
    }

    @Test func runawayMacroRecursionIsAnError() {
        let source = "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"
        #expect(throws: TemplateError.self) { try templar.render(source, scope: DictionaryScope()) }
    }

    @Test func cacheCompilesEachSourceOnce() throws {
        let t = Templar(cacheCapacity: 2)
        let scope = DictionaryScope(["x": 1])
        for _ in 0..<5 { _ = try t.render("{{ x }}", scope: scope) }
        #expect(t.cache.count == 1)
        _ = try t.render("{{ x + 1 }}", scope: scope)
        _ = try t.render("{{ x + 2 }}", scope: scope)
        #expect(t.cache.count == 1)
    }

    @Test func renderDeepTemplatesNestedStrings() throws {
        let scope = DictionaryScope(["name": "web", "ports": [80]])
        let value: Value = ["svc": "{{ name }}", "list": ["{{ ports }}", 3], "{{ name }}_key": true]
        #expect(
            try templar.renderDeep(value, scope: scope) == ["svc": "web", "list": [[80], 3], "{{ name }}_key": true])
    }

    @Test func randomWithSeedIsDeterministic() throws {
        // Exact values are checked against Python in the corpus; this checks repeatability and ranges.
        let scope = DictionaryScope(["l": ["a", "b", "c", "d", "e"]])
        let first = try templar.renderValue("{{ l | random(seed='host1') }}", scope: scope)
        for _ in 0..<5 { #expect(try templar.renderValue("{{ l | random(seed='host1') }}", scope: scope) == first) }
        let n = try templar.renderValue("{{ 100 | random(seed=7) }}", scope: scope)
        guard case .int(let i) = n else {
            Issue.record("not an int: \(n)")
            return
        }
        #expect((0..<100).contains(i))
        #expect(try templar.renderValue("{{ l | shuffle(seed='x') | sort }}", scope: scope) == scope.variables["l"])
    }

    @Test func digestsMatchKnownVectors() {
        #expect(JinjaDigest.hex("md5", Array("".utf8)) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(JinjaDigest.hex("sha1", Array("abc".utf8)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(
            JinjaDigest.hex("sha256", Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array(String(repeating: "a", count: 1_000_000).utf8)
        #expect(JinjaDigest.hex("sha1", long) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
        #expect(JinjaDigest.hex("whirlpool", []) == nil)
    }
}

/// Python has unbounded integers and Capstan has 64-bit ones; beyond that range a result is an "integer
/// overflow" error, never a wrapped or rounded number and never a crash.
@Suite struct TemplateIntegerLimitTests {
    let templar = Templar()

    @Test(arguments: [
        "'1e300' | int", "1e300 | int(7)", "-(-9223372036854775807 - 1)", "(-9223372036854775807 - 1) // -1",
        "(-9223372036854775807 - 1) | abs", "9223372036854775807 * 2", "9223372036854775807 + 1",
        "'1e300' | int(5)",
    ])
    func hugeNumbersAreOverflowErrors(expression: String) throws {
        #expect { try templar.evaluate(expression, scope: DictionaryScope()) } throws: { error in
            (error as? TemplateError)?.message.hasPrefix("integer overflow") ?? false
        }
    }

    @Test(arguments: ["'%d' % 1e300", "'{:d}'.format(2 ** 62)"])
    func hugeNumbersDoNotCrash(expression: String) throws {
        _ = try templar.evaluate(expression, scope: DictionaryScope())
    }

    @Test func infinityAndNaNAsInJinja() throws {
        #expect(try templar.evaluate("'inf' | int(7)", scope: DictionaryScope()) == 7)
        #expect(try templar.evaluate("'nan' | float | int(7)", scope: DictionaryScope()) == 7)
        #expect(throws: TemplateError.self) { try templar.evaluate("'inf' | float | int", scope: DictionaryScope()) }
    }
}
