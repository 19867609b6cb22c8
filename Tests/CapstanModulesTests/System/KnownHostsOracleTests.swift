import CapstanBasics
import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanModules

/// Runs Capstan's known_hosts on each case of the corpus (Fixtures/files/known-hosts-cases.json) in a
/// local sandbox, with this machine's ssh-keygen, and compares with what ansible-core's own module did
/// to the same file (known-hosts-expected.json, written by Tests/oracles/known-hosts-expected.py): the
/// bytes afterwards, changed, failed and its message, and whether a second run changes again.
@Suite struct KnownHostsOracleTests {
    struct Case: Decodable {
        var name: String
        var initial: String?
        var args: [String: String]
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
        "files/known-hosts-cases.json", "files/known-hosts-expected.json")

    @Test func corpusIsLargeAndAligned() {
        #expect(Self.cases.count >= 20)
        #expect(Self.cases.allSatisfy { $0.0.name == $0.1.name })
    }

    @Test(arguments: cases.map(\.0.name)) func caseMatchesAnsible(_ name: String) async throws {
        let (c, expected) = try #require(Self.cases.first { $0.0.name == name })
        let sandbox = try FileSandbox()
        if let initial = c.initial { try sandbox.write("keys", initial) }
        var args = OrderedDictionary<String, Value>()
        for key in c.args.keys.sorted() { args[key] = .string(c.args[key]!) }
        args["path"] = .string(sandbox.path("keys"))

        let treeBefore = sandbox.tree()
        _ = try await sandbox.run("known_hosts", args, check: true)
        #expect(sandbox.tree() == treeBefore, "check mode touched the sandbox")

        let outcome = try await sandbox.run("known_hosts", args)
        #expect(outcome.changed == expected.changed)
        #expect(outcome.failed == expected.failed)
        #expect(outcome.msg == expected.msg)
        #expect(sandbox.read("keys") == expected.content)
        if !expected.failed {
            let again = try await sandbox.run("known_hosts", args)
            #expect(again.changed == expected.changed_again, "second run")
        }
    }
}
