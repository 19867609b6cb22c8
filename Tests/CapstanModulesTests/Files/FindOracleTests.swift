import CapstanModules
import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanModules

/// Capstan's find against ansible-core's own module (Tests/oracles/find-expected.py), both run on
/// the same tree on this machine: the whole result must be the same (every file's stat keys in the
/// same order, matched, examined, msg, skipped paths, warnings), except access times, which reading
/// a file may move.
@Suite struct FindOracleTests {
    /// A tree with files, hidden ones, folders three deep, a symlink to a file and one to a folder.
    static func makeTree(_ sandbox: FileSandbox) throws {
        let fm = FileManager.default
        for dir in ["t/sub/deeper/deepest", "t/.hid", "t/empty"] {
            try fm.createDirectory(atPath: sandbox.path(dir), withIntermediateDirectories: true)
        }
        let files: [(String, String, Int)] = [
            ("t/a.conf", "port = 80\nname = a\n", 0o644), ("t/b.log", "error: one\r\nport\n", 0o600),
            ("t/.h.conf", "hidden\n", 0o644), ("t/sub/c.conf", "port = 81\n", 0o755),
            ("t/sub/deeper/d.conf", "deep\n", 0o644), ("t/sub/deeper/deepest/e.txt", "e\n", 0o640),
            ("t/.hid/in.conf", "port\n", 0o644), ("t/sub/big.bin", String(repeating: "x", count: 3000), 0o4755),
        ]
        for (name, content, mode) in files {
            try sandbox.write(name, content)
            chmod(sandbox.path(name), mode_t(mode))
        }
        // Latin-1, not UTF-8: the content filter cannot read it.
        #expect(fm.createFile(atPath: sandbox.path("t/latin.txt"), contents: Data([0x63, 0x61, 0x66, 0xE9, 0x0A])))
        try fm.createSymbolicLink(atPath: sandbox.path("t/link.conf"), withDestinationPath: "a.conf")
        try fm.createSymbolicLink(atPath: sandbox.path("t/sublink"), withDestinationPath: "sub")
        try fm.createSymbolicLink(atPath: sandbox.path("t/broken"), withDestinationPath: "nowhere")
    }

    static func cases(_ t: String) -> [OrderedDictionary<String, Value>] {
        [
            ["paths": .string(t)],
            ["paths": .string(t), "recurse": true, "patterns": "*.conf"],
            ["paths": .string(t), "recurse": true, "hidden": true],
            ["paths": .string(t), "recurse": true, "depth": 1],
            ["paths": .string(t), "recurse": true, "depth": 2, "hidden": true, "file_type": "any"],
            ["paths": .string(t), "recurse": true, "file_type": "directory", "hidden": true],
            ["paths": .string(t + "/"), "file_type": "link"],
            ["paths": .string(t), "recurse": true, "file_type": "any", "size": "-1k"],
            ["paths": .string(t), "recurse": true, "size": "2k"],
            [
                "paths": .string(t), "recurse": true, "use_regex": true, "patterns": [#"^.*\.conf$"#, "^b"],
                "excludes": "^c",
            ],
            ["paths": .string(t), "recurse": true, "contains": "port", "hidden": true],
            ["paths": .string(t), "recurse": true, "contains": "name = a\\nx?", "read_whole_file": true],
            ["paths": .string(t), "recurse": true, "get_checksum": true, "checksum_algorithm": "sha256"],
            ["paths": .string(t), "get_checksum": true, "file_type": "any"],
            ["paths": .string(t), "recurse": true, "age": "-1d"],
            ["paths": .string(t), "recurse": true, "age": "1w"],
            ["paths": .string(t), "recurse": true, "mode": "0644"],
            ["paths": .string(t), "recurse": true, "mode": "0100", "exact_mode": false],
            ["paths": .string(t), "recurse": true, "limit": 2],
            ["paths": .list([.string(t + "/sub"), .string(t + "/missing"), .string(t + "/a.conf"), .string(t)])],
            ["paths": .string(t), "patterns": "*.conf,*.log"],
            ["paths": .string(t), "recurse": true, "excludes": ["*.conf"]],
            ["paths": .string(t), "size": "abc"],
            ["paths": .string(t), "age": "3y"],
            ["paths": .string(t), "limit": 0],
            ["paths": .string(t), "mode": 420],
            ["paths": .string(t), "recurse": true, "contains": "caf", "hidden": true],
        ]
    }

    @Test func resultsMatchAnsible() async throws {
        let sandbox = try FileSandbox()
        try Self.makeTree(sandbox)
        let cases = Self.cases(sandbox.path("t"))
        let file = TestScratch.directory + "/capstan-find-\(UUID().uuidString).json"
        defer { unlink(file) }
        try Value.list(cases.map(Value.dict)).json().write(toFile: file, atomically: true, encoding: .utf8)
        let oracle = Fixtures.packageRoot.appendingPathComponent("Tests/oracles/find-expected.py").path
        let run = try SpawnedProcess.run(ExperimentFixtures.venv + "/python", [oracle, file])
        try #require(run.status == 0, "\(run.err)")
        let answers = try #require(try Value(jsonText: run.out).listValue)
        try #require(answers.count == cases.count)
        var compared = 0
        for (args, answer) in zip(cases, answers) {
            let expected = try #require(answer.dictValue)
            let outcome = try await sandbox.run("find", args, check: true)
            #expect(outcome.failed == (expected["failed"] == .bool(true)), "\(args)")
            for key in ["msg", "matched", "examined", "skipped_paths", "warnings", "size", "age"] {
                #expect(outcome.fields[key] ?? .null == expected[key] ?? .null, "\(key) of \(args)")
            }
            let ours = (outcome.fields["files"]?.listValue ?? []).map(Self.withoutAccessTime)
            let theirs = (expected["files"]?.listValue ?? []).map(Self.withoutAccessTime)
            #expect(ours == theirs, "files of \(args)")
            compared += theirs.count
        }
        #expect(compared > 60)
    }

    static func withoutAccessTime(_ file: Value) -> Value {
        guard var d = file.dictValue else { return file }
        d.removeValue(forKey: "atime")
        return .dict(d)
    }

    @Test func amountsParseAsAnsible() {
        let units: [Character: Int] = ["s": 1, "m": 60]
        #expect(FindModule.amount("10m", units: units) == 600)
        #expect(FindModule.amount("-2", units: units) == -2)
        #expect(FindModule.amount("2x", units: units) == nil)
        #expect(FindModule.amount("-", units: units) == nil)
        #expect(FindWalk.normpath("/a//b/./c/") == "/a/b/c")
        #expect(FindWalk.normpath("//a/../b") == "//b")
    }
}
