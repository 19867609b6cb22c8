import CapstanModules
import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanModules

/// Capstan's getent against ansible-core's own module, both run on this machine (the test's local
/// connection and `python -m ansible.modules.getent`, Tests/oracles/getent-expected.py): the same
/// `getent_<database>` facts, failure and message for every case.
@Suite struct GetentOracleTests {
    static let cases: [OrderedDictionary<String, Value>] = [
        ["database": "passwd", "key": "root"],
        ["database": "passwd"],
        ["database": "group"],
        ["database": "group", "key": "root", "split": ":"],
        ["database": "hosts", "key": "localhost"],
        ["database": "services", "key": "22"],
        ["database": "services"],
        ["database": "shadow", "key": "root"],
        ["database": "passwd", "key": "capstan-no-such-user"],
        ["database": "passwd", "key": "capstan-no-such-user", "fail_key": false],
        ["database": "capstan-no-such-db"],
        ["database": "protocols", "split": " "],
        ["database": "passwd", "key": "root", "service": "files"],
    ]

    @Test func factsMatchAnsible() async throws {
        let file = TestScratch.directory + "/capstan-getent-\(UUID().uuidString).json"
        defer { unlink(file) }
        try Value.list(Self.cases.map(Value.dict)).json().write(toFile: file, atomically: true, encoding: .utf8)
        let oracle = Fixtures.packageRoot.appendingPathComponent("Tests/oracles/getent-expected.py").path
        let run = try SpawnedProcess.run(ExperimentFixtures.venv + "/python", [oracle, file])
        try #require(run.status == 0, "\(run.err)")
        let answers = try #require(try Value(jsonText: run.out).listValue)
        try #require(answers.count == Self.cases.count)
        let sandbox = try FileSandbox()
        for (args, answer) in zip(Self.cases, answers) {
            let expected = try #require(answer.dictValue)
            let outcome = try await sandbox.run("ansible.builtin.getent", args)
            #expect(outcome.failed == (expected["failed"] == .bool(true)), "\(args)")
            #expect(outcome.fields["msg"] ?? .null == expected["msg"] ?? .null, "\(args)")
            #expect(outcome.fields["ansible_facts"] ?? .null == expected["ansible_facts"] ?? .null, "\(args)")
            #expect(sandbox.connection.roundTrips == 1)
        }
    }

    @Test func linesSplitAsPython() {
        #expect(GetentModule.pythonLines("a\r\nb\rc\n\nd") == ["a", "b", "c", "", "d"])
        let records = GetentModule.records("x 1 2\ny\tz\nx  3\nx 4\n", split: nil)
        #expect(records["x"] == .list([.list(["1", "2"]), .list(["3"]), .list(["4"])]))
        #expect(records["y"] == .list(["z"]))
    }

    @Test func splitDefaultsToColonForAccountDatabases() throws {
        for (db, split) in [("passwd", ":"), ("group", ":"), ("shadow", ":"), ("gshadow", ":"), ("hosts", nil)] {
            let args = try ModuleArguments(["database": .string(db)], spec: GetentModule.spec, module: "getent")
            #expect(try GetentModule(arguments: args).split == split)
        }
    }
}
