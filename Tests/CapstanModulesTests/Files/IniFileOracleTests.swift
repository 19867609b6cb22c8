import CapstanModules
import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics

/// Replays the ini_file corpus (Fixtures/files/ini-file-cases.json: duplicate options, sections with
/// spaces, comments, no final line break, empty and missing files, `exclusive`, `values`, CRLF, a byte
/// order mark, `section_has_values`) with Capstan's ini_file, against what community.general's own
/// module did (ini-file-expected.json, written by Tests/oracles/ini-file-expected.py): same bytes,
/// changed, msg, diff and second-run change.
@Suite struct IniFileOracleTests {
    struct Case: Decodable {
        var name: String
        var initial: String?
        var args: [String: JSONValue]
    }

    struct Expected: Decodable {
        var name: String
        var changed: Bool
        var failed: Bool
        var msg: String
        var content: String?
        var before: String?
        var after: String?
        var changed_again: Bool
    }

    /// Enough of JSON for the corpus arguments.
    indirect enum JSONValue: Decodable {
        case string(String)
        case bool(Bool)
        case list([JSONValue])
        case dict([String: JSONValue])
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else if let s = try? c.decode(String.self) {
                self = .string(s)
            } else if let l = try? c.decode([JSONValue].self) {
                self = .list(l)
            } else {
                self = .dict(try c.decode([String: JSONValue].self))
            }
        }
        var value: Value {
            switch self {
            case .string(let s): return .string(s)
            case .bool(let b): return .bool(b)
            case .list(let l): return .list(l.map(\.value))
            case .dict(let d):
                var out = OrderedDictionary<String, Value>()
                for key in d.keys.sorted() { out[key] = d[key]!.value }
                return .dict(out)
            }
        }
    }

    static let cases: [(Case, Expected)] = Fixtures.casePairs(
        "files/ini-file-cases.json", "files/ini-file-expected.json")

    @Test func corpusIsLargeAndAligned() {
        #expect(Self.cases.count >= 40)
        #expect(Self.cases.allSatisfy { $0.0.name == $0.1.name })
    }

    /// Runs the module; an argument error becomes the failed outcome a task would show.
    static func run(_ sandbox: FileSandbox, _ args: OrderedDictionary<String, Value>, check: Bool = false)
        async throws -> ModuleOutcome
    {
        do { return try await sandbox.run("community.general.ini_file", args, check: check, diff: true) } catch let
            error as ModuleArgumentError
        {
            return .failed(error.message)
        }
    }

    @Test(arguments: IniFileOracleTests.cases.map(\.0.name))
    func caseMatchesAnsible(_ name: String) async throws {
        let (c, expected) = Self.cases.first { $0.0.name == name }!
        let sandbox = try FileSandbox()
        if let initial = c.initial { try sandbox.write("f.ini", initial) }
        var args: OrderedDictionary<String, Value> = [:]
        for key in c.args.keys.sorted() { args[key] = c.args[key]!.value }
        args["path"] = .string(sandbox.path("f.ini"))

        let treeBefore = sandbox.tree()
        let predicted = try await Self.run(sandbox, args, check: true)
        #expect(sandbox.tree() == treeBefore, "check mode touched the sandbox")
        #expect(predicted.changed == expected.changed, "check mode")
        #expect(sandbox.connection.roundTrips <= 1)

        let outcome = try await Self.run(sandbox, args)
        #expect(outcome.changed == expected.changed)
        #expect(outcome.failed == expected.failed)
        #expect(outcome.msg == expected.msg.replacingOccurrences(of: "{path}", with: sandbox.path("f.ini")))
        #expect(sandbox.read("f.ini") == expected.content)
        if !expected.failed {
            let diff = outcome.fields["diff"]?.dictValue
            #expect(diff?["before"]?.stringValue == expected.before)
            #expect(diff?["after"]?.stringValue == expected.after)
            #expect(outcome.fields["path"]?.stringValue == sandbox.path("f.ini"))
        }
        #expect(sandbox.connection.roundTrips <= 2)

        if !expected.failed {
            let again = try await Self.run(sandbox, args)
            #expect(again.changed == expected.changed_again, "second run")
        }
    }
}
