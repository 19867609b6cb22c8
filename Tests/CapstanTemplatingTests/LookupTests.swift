import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanTemplating

/// The lookups against Ansible's own (Tests/oracles/lookups-expected.py): seeded passwords pick the
/// same characters, files are found, read and stripped alike, `first_found`, `template`, `vars`,
/// `varnames`, `inventory_hostnames`, `pipe`, `lines`, `fileglob` and the list-shaping lookups give
/// the same values and shapes (`lookup` vs `query`, `errors=`), errors are errors, and a password
/// file is created, moded and reused as Ansible creates, modes and reuses it.
@Suite struct LookupTests {
    let templar = Templar()
    static let folder = Fixtures.url("templating/lookups").path

    func scope(_ base: String = LookupTests.folder) -> DictionaryScope {
        DictionaryScope(["playbook_dir": .string(base)])
    }

    /// The fixture's variables (vars.json) with `playbook_dir`, as the oracle's Templar sees them.
    func fixtureScope() throws -> DictionaryScope {
        var variables = try Value(jsonText: Fixtures.text("templating/lookups/vars.json")).dictValue ?? [:]
        variables["playbook_dir"] = .string(Self.folder)
        return DictionaryScope(variables)
    }

    /// The value with the fixture folder's path written as the oracle writes it.
    func portable(_ value: Value) -> Value {
        switch value {
        case .string(let s): return .string(s.replacingOccurrences(of: Self.folder, with: "<LOOKUPS>"))
        case .list(let items): return .list(items.map(portable))
        case .dict(let d): return .dict(d.mapValues(portable))
        default: return value
        }
    }

    @Test func casesMatchAnsible() throws {
        let lines = try Fixtures.text("templating/expected/lookups.jsonl").split(separator: "\n")
        #expect(lines.count >= 60)
        let variables = try fixtureScope()
        unsetenv("CAPSTAN_LOOKUP_UNSET_VARIABLE")
        for line in lines {
            let c = try Value(jsonText: String(line))
            let expr = c["expr"]?.stringValue ?? ""
            let outcome = Result { portable(try templar.renderValue("{{ " + expr + " }}", scope: variables)) }
            switch (outcome, c["error"]?.stringValue) {
            case (.success(let v), nil):
                #expect(v == c["value"], "\(expr)")
            case (.failure(let error), let theirs?):
                let ours = (error as? TemplateError)?.message ?? "\(error)"
                #expect(theirs.contains(ours), "\(expr): \(ours) vs \(theirs)")
            case (.success(let v), let theirs?):
                Issue.record("\(expr): expected an error (\(theirs)), got \(v.pythonRepr)")
            case (.failure(let error), nil):
                Issue.record("\(expr): expected \(c["value"]?.pythonRepr ?? ""), got \(error)")
            }
        }
    }

    @Test func passwordFileIsCreatedOnceAsAnsibleCreatesIt() throws {
        let expected = try Value(jsonText: Fixtures.text("templating/expected/password-file.json"))
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-lookup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let path = work.path + "/new/dir/secret"
        let expr = "{{ lookup('password', '\(path) chars=ascii_letters,digits length=32') }}"
        let old = umask(0o022)
        defer { umask(old) }
        let first = try templar.render(expr, scope: scope(work.path))
        let second = try templar.render(expr, scope: scope(work.path))
        func mode(_ p: String) throws -> String {
            let n = (try FileManager.default.attributesOfItem(atPath: p)[.posixPermissions] as? Int) ?? -1
            return "0o" + String(n, radix: 8)
        }
        #expect(try mode(path) == expected["file_mode"]?.stringValue)
        #expect(try mode(work.path + "/new/dir") == expected["dir_mode"]?.stringValue)
        #expect(try mode(work.path + "/new") == expected["parent_mode"]?.stringValue)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == first + "\n")
        #expect(first.count == 32 && first.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        #expect((first == second) == (expected["second_lookup_same"] == .bool(true)))
        let listing = try FileManager.default.contentsOfDirectory(atPath: work.path + "/new/dir").sorted()
        #expect(Value.list(listing.map(Value.string)) == expected["files_in_dir"])
    }

    @Test func relativePasswordPathsAreUnderPlaybookDir() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-lookup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try "stored salt=abcdefgh\n".write(toFile: work.path + "/kept", atomically: true, encoding: .utf8)
        #expect(try templar.render("{{ lookup('password', 'kept length=5') }}", scope: scope(work.path)) == "stored")
        let made = try templar.render("{{ lookup('password', 'sub/made') }}", scope: scope(work.path))
        #expect(made.count == 20)
        #expect(try String(contentsOfFile: work.path + "/sub/made", encoding: .utf8) == made + "\n")
    }

    @Test func concurrentFirstUsesAgreeOnOnePassword() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-lookup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let expr = "{{ lookup('password', '\(work.path)/race length=24') }}"
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try Templar().render(expr, scope: DictionaryScope()) } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(results.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path) == ["race"])
    }

    @Test func encryptIsRefusedNotIgnored() {
        #expect(throws: TemplateError.self) {
            try templar.render("{{ lookup('password', '/dev/null encrypt=sha512_crypt') }}", scope: scope())
        }
    }
}
