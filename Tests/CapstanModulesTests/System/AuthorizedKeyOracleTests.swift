import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanModules

/// Replays the authorized_key corpus (Fixtures/files/authorized-key-cases.json) with Capstan's edit
/// against what ansible.posix's own module did to the same file (authorized-key-expected.json,
/// written by Tests/oracles/authorized-key-expected.py): the bytes written, whether it changed or
/// failed, and whether running again changes anything.
@Suite struct AuthorizedKeyOracleTests {
    struct Case: Decodable {
        var name: String
        var initial: String?
        var args: [String: Argument]
    }

    enum Argument: Decodable {
        case string(String)
        case bool(Bool)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .bool(b) } else { self = .string(try c.decode(String.self)) }
        }
        var string: String? { if case .string(let s) = self { s } else { nil } }
        var bool: Bool { if case .bool(let b) = self { b } else { false } }
    }

    struct Expected: Decodable {
        var name: String
        var changed: Bool
        var failed: Bool
        var msg: String
        var content: String?
        var changed_again: Bool
    }

    static let cases: [(Case, Expected)] = Fixtures.casePairs(
        "files/authorized-key-cases.json", "files/authorized-key-expected.json")

    @Test func corpusIsLargeAndAligned() {
        #expect(Self.cases.count >= 30)
        #expect(Self.cases.allSatisfy { $0.0.name == $0.1.name })
    }

    @Test(arguments: cases.map(\.0.name)) func editMatchesAnsible(_ name: String) throws {
        let (c, expected) = try #require(Self.cases.first { $0.0.name == name })
        let edit = AuthorizedKeysEdit(
            keys: c.args["key"]?.string ?? "", present: c.args["state"]?.string != "absent",
            keyOptions: c.args["key_options"]?.string, comment: c.args["comment"]?.string,
            exclusive: c.args["exclusive"]?.bool ?? false)
        let before = c.initial ?? ""
        do {
            let result = try edit.apply(to: before)
            #expect(!expected.failed, "Ansible failed: \(expected.msg)")
            #expect(result.write == expected.changed)
            #expect((result.write ? result.content : c.initial) == expected.content)
            let again = try edit.apply(to: result.write ? result.content : before)
            #expect(again.write == expected.changed_again)
        } catch let e as AuthorizedKeysEdit.InvalidKey {
            #expect(expected.failed)
            #expect(e.message == expected.msg)
        }
    }
}
