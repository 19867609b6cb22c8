import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics

/// Replays the text-edit corpus (Fixtures/files/textedit-cases.json) with Capstan's lineinfile,
/// blockinfile and replace, against what Ansible's own modules did (textedit-expected.json, written
/// by Tests/oracles/textedit-expected.py).
@Suite struct TextEditOracleTests {
    struct Case: Decodable {
        var name: String
        var module: String
        var initial: String?
        var args: [String: JSONValue]
    }

    struct Expected: Decodable {
        var name: String
        var changed: Bool
        var failed: Bool
        var msg: String
        var content: String?
        var changed_again: Bool
    }

    /// Enough of JSON for the corpus arguments (strings and booleans).
    enum JSONValue: Decodable {
        case string(String)
        case bool(Bool)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .bool(b) } else { self = .string(try c.decode(String.self)) }
        }
        var value: Value {
            switch self {
            case .string(let s): return .string(s)
            case .bool(let b): return .bool(b)
            }
        }
    }

    static let cases: [(Case, Expected)] = Fixtures.casePairs(
        "files/textedit-cases.json", "files/textedit-expected.json")

    @Test func corpusIsLargeAndAligned() {
        #expect(Self.cases.count >= 30)
        #expect(Self.cases.allSatisfy { $0.0.name == $0.1.name })
    }

    static func arguments(_ c: Case, path: String) -> OrderedDictionary<String, Value> {
        var args: OrderedDictionary<String, Value> = [:]
        for key in c.args.keys.sorted() { args[key] = c.args[key]!.value }
        args["path"] = .string(path)
        return args
    }

    @Test(arguments: TextEditOracleTests.cases.map(\.0.name))
    func caseMatchesAnsible(_ name: String) async throws {
        let (c, expected) = Self.cases.first { $0.0.name == name }!
        let sandbox = try FileSandbox()
        if let initial = c.initial { try sandbox.write("f.txt", initial) }
        let args = Self.arguments(c, path: sandbox.path("f.txt"))

        let treeBefore = sandbox.tree()
        let predicted = try await sandbox.run(c.module, args, check: true)
        #expect(sandbox.tree() == treeBefore, "check mode touched the sandbox")
        #expect(predicted.changed == expected.changed, "check mode")
        #expect(sandbox.connection.roundTrips <= 1)

        let outcome = try await sandbox.run(c.module, args)
        #expect(outcome.changed == expected.changed)
        #expect(outcome.failed == expected.failed)
        #expect(outcome.msg == expected.msg.replacingOccurrences(of: "{path}", with: sandbox.path("f.txt")))
        #expect(sandbox.read("f.txt") == expected.content)
        #expect(sandbox.connection.roundTrips <= 2)

        if !expected.failed {
            let again = try await sandbox.run(c.module, args)
            #expect(again.changed == expected.changed_again, "second run")
        }
    }
}
