import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanTemplating

/// Hostile nesting (issue 14): deep brackets, blocks, operator and filter chains, JSON and includes end in a
/// located `TemplateError`, as Ansible ends them in `RecursionError`, never in a stack overflow.
@Suite struct TemplateNestingLimitTests {
    let templar = Templar()

    private func failure(_ source: String, scope: DictionaryScope = DictionaryScope()) -> TemplateError? {
        do {
            _ = try templar.render(source, scope: scope)
            return nil
        } catch let error as TemplateError {
            return error
        } catch {
            return nil
        }
    }

    /// Hostile templates by name (built here, so that test output does not print megabytes of them).
    static func hostile(_ name: String) -> String {
        func times(_ s: String, _ n: Int) -> String { String(repeating: s, count: n) }
        switch name {
        case "parentheses": return "{{ " + times("(", 7_800) + "1" + times(")", 7_800) + " }}"
        case "lists": return "{{ " + times("[", 100_000) + times("]", 100_000) + " }}"
        case "if blocks": return times("{% if true %}", 6_500) + "x" + times("{% endif %}", 6_500)
        case "for blocks": return times("{% for x in [1] %}", 6_500) + "x" + times("{% endfor %}", 6_500)
        case "plus chain": return "{{ 0" + times("+1", 100_000) + " }}"
        case "filter chain": return "{{ 'a'" + times(" | upper", 100_000) + " }}"
        case "not chain": return "{{ " + times("not ", 100_000) + "1 }}"
        case "minus chain": return "{{ " + times("-", 100_000) + "1 }}"
        case "attribute chain": return "{{ x" + times(".a", 100_000) + " }}"
        case "comparison chain": return "{{ 1" + times(" < 2", 100_000) + " }}"
        case "tilde in parentheses": return "{{ " + times("('a' ~ ", 5_000) + "'b'" + times(")", 5_000) + " }}"
        case "a million parentheses": return "{{ " + times("(", 1_000_000) + " }}"
        default: return ""
        }
    }

    @Test(arguments: [
        "parentheses", "lists", "if blocks", "for blocks", "plus chain", "filter chain", "not chain", "minus chain",
        "attribute chain", "comparison chain", "tilde in parentheses", "a million parentheses",
    ])
    func deepNestingIsALocatedError(name: String) throws {
        let source = Self.hostile(name)
        let clock = ContinuousClock()
        var error: TemplateError?
        let elapsed = clock.measure { error = failure(source) }
        let e = try #require(error, "\(name): expected an error")
        #expect(e.message.contains("maximum recursion depth exceeded"), "\(name): \(e.message)")
        #expect(e.line == 1)
        #expect(e.column != nil, "\(name): the column of the token where the limit was passed")
        #expect(elapsed < .seconds(5), "\(name): \(elapsed)")
    }

    @Test func nestingWithinTheLimitsStillWorks() throws {
        let scope = DictionaryScope()
        #expect(
            try templar.renderValue(
                "{{ " + String(repeating: "(", count: 90) + "1" + String(repeating: ")", count: 90) + " }}",
                scope: scope) == 1)
        #expect(try templar.renderValue("{{ 0" + String(repeating: "+1", count: 90) + " }}", scope: scope) == 90)
        let ifs = String(repeating: "{% if true %}", count: 90) + "x" + String(repeating: "{% endif %}", count: 90)
        #expect(try templar.render(ifs, scope: scope) == "x")
        let chain = "{{ 'a'" + String(repeating: " | upper", count: 90) + " }}"
        #expect(try templar.render(chain, scope: scope) == "A")
        // A long flat list is wide, not deep.
        let wide = "{{ [" + Array(repeating: "1", count: 50_000).joined(separator: ",") + "] | length }}"
        #expect(try templar.renderValue(wide, scope: scope) == 50_000)
    }

    /// The deepest templates the limits allow render, and the deepest recursion fails cleanly, on a thread
    /// with a 512 KiB stack (the smallest a secondary thread may get) in a release build; a debug build's
    /// frames are about five times larger, so there the thread gets 8 MiB, Linux's default.
    @Test func theDeepestAllowedTemplatesFitASmallStack() throws {
        func times(_ s: String, _ n: Int) -> String { String(repeating: s, count: n) }
        let most = TemplateLimits.maxNesting - 2
        let cases: [(String, String)] = [
            ("{{ " + times("(", most) + "1" + times(")", most) + " }}", "1"),
            ("{{ 0" + times("+1", most) + " }}", "\(most)"),
            ("{{ " + times("[", most) + times("]", most) + " | length }}", "1"),
            (
                times("{% if true %}", most / 2) + "{{ 0" + times("+1", most) + " }}" + times("{% endif %}", most / 2),
                "\(most)"
            ),
            ("{% macro m(n) %}{% if n > 0 %}{{ m(n - 1) }}{% else %}.{% endif %}{% endmacro %}{{ m(120) }}", "."),
            (
                "{% macro m(n) %}{% if n > 0 %}{{ m(n - 1) }}{% else %}.{% endif %}{% endmacro %}{{ m(100000) }}",
                "error"
            ),
        ]
        final class Results: @unchecked Sendable { var all: [String] = [] }
        let results = Results()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let templar = Templar()
            for (source, _) in cases {
                do {
                    results.all.append(try templar.render(source, scope: DictionaryScope()))
                } catch {
                    results.all.append("error")
                }
            }
            done.signal()
        }
        #if DEBUG
            thread.stackSize = 8 << 20
        #else
            thread.stackSize = 512 << 10
        #endif
        thread.start()
        done.wait()
        #expect(results.all == cases.map(\.1))
    }

    @Test func deepJSONIsAnError() throws {
        let deep = String(repeating: "[", count: 73_000) + String(repeating: "]", count: 73_000)
        let e = try #require(failure("{{ s | from_json }}", scope: DictionaryScope(["s": .string(deep)])))
        #expect(e.message.contains("maximum recursion depth exceeded"), "\(e.message)")
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let value = try templar.renderValue(
            "{{ s | from_json | length }}", scope: DictionaryScope(["s": .string(fine)]))
        #expect(value == 1)
        #expect(throws: JSONValueError.self) { try Value(jsonText: deep) }
    }

    @Test func aTemplateIncludingItselfIsAnError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-include-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "a{% include 'self.j2' %}\n".write(
            to: folder.appendingPathComponent("self.j2"), atomically: true, encoding: .utf8)
        try "{% include 'pong.j2' %}\n".write(
            to: folder.appendingPathComponent("ping.j2"), atomically: true, encoding: .utf8)
        try "{% include 'ping.j2' %}\n".write(
            to: folder.appendingPathComponent("pong.j2"), atomically: true, encoding: .utf8)
        for name in ["self.j2", "ping.j2"] {
            do {
                _ = try templar.renderFile(at: folder.appendingPathComponent(name).path, scope: DictionaryScope())
                Issue.record("\(name): expected an error")
            } catch let error as TemplateError {
                #expect(error.message.contains("too many nested includes"), "\(error.message)")
                #expect(error.location != nil)
            }
        }
    }

    @Test func anErrorInAnIncludedTemplateNamesThatTemplate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-include-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let main = folder.appendingPathComponent("main.conf.j2").path
        try "line 1\n{% include 'part.j2' %}\n".write(toFile: main, atomically: true, encoding: .utf8)
        try "ok\nok\n{{ nope }}\n".write(
            toFile: folder.appendingPathComponent("part.j2").path, atomically: true, encoding: .utf8)
        try "ok\n{{ 1 + }}\n".write(
            toFile: folder.appendingPathComponent("bad.j2").path, atomically: true, encoding: .utf8)
        do {
            _ = try templar.renderFile(at: main, scope: DictionaryScope())
            Issue.record("expected an error")
        } catch let error as TemplateError {
            #expect(error.location == CapstanBasics.SourceLocation(file: "part.j2", line: 3, column: 1))
            #expect(error.description.hasPrefix("part.j2:3:1: 'nope' is undefined"), "\(error)")
        }
        try "{% include 'bad.j2' %}".write(toFile: main, atomically: true, encoding: .utf8)
        do {
            _ = try templar.renderFile(at: main, scope: DictionaryScope())
            Issue.record("expected an error")
        } catch let error as TemplateError {
            #expect(error.location == CapstanBasics.SourceLocation(file: "bad.j2", line: 2, column: 8), "\(error)")
        }
    }

    @Test func aRenderErrorInATemplateFileNamesTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-file-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("app.conf.j2").path
        try "a\nb\n{{ 'x' | regex_replace('(x)', '\\\\3') }}\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try templar.renderFile(at: path, scope: DictionaryScope())
            Issue.record("expected an error")
        } catch let error as TemplateError {
            #expect(error.description.hasPrefix("\(path):3:1: invalid group reference 3"), "\(error)")
        }
    }
}
