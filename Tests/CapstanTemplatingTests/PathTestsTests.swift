import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanTemplating

/// Ansible's path tests (`exists`, `directory`, `link`, `same_file`, `mount`, ...) against ansible-core's
/// own Templar, run on the same paths: a file, a folder, a link to each, a dangling link, a missing
/// path, relative paths, a mount point, and a number where a path belongs.
@Suite struct PathTestsTests {
    @Test func pathTestsMatchAnsible() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-paths-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: dir + "/folder", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir + "/file", contents: Data("x".utf8))
        symlink(dir + "/file", dir + "/to-file")
        symlink(dir + "/folder", dir + "/to-folder")
        symlink(dir + "/missing", dir + "/dangling")
        let paths =
            ["file", "folder", "to-file", "to-folder", "dangling", "missing"].map { "'\(dir)/\($0)'" } + [
                "'Package.swift'", "'Sources'", "'no-such-thing'", "'/'", "'/proc'", "''", "'\(dir)/folder/..'",
            ]
        let tests = [
            "exists", "link_exists", "directory", "is_dir", "file", "is_file", "link", "is_link", "abs", "is_abs",
            "mount", "is_mount",
        ]
        var expressions = paths.flatMap { path in tests.map { "\(path) is \($0)" } }
        // Not `42 is exists` or `42 is directory`: Python's os.path takes a number as a file descriptor,
        // so ansible-core's answer depends on which descriptors its process inherited (it said True in
        // one CI run, False in others).
        expressions += [
            "'\(dir)/file' is same_file('\(dir)/to-file')", "'\(dir)/file' is same_file('\(dir)/folder')",
            "'\(dir)/file' is is_same_file('\(dir)/missing')", "42 is abs", "None is exists",
            "'\(dir)/file' is not exists",
        ]

        let theirs = try Self.ansible(expressions)
        let templar = Templar()
        for (expression, expected) in zip(expressions, theirs) {
            let ours: String
            do {
                ours = try templar.renderValue("{{ \(expression) }}", scope: DictionaryScope([:])).pythonRepr
            } catch {
                ours = "error"
            }
            #expect(ours == expected, "\(expression)")
        }
        #expect(theirs.count == expressions.count)
    }

    /// Each expression's value under ansible-core's Templar (`True`/`False`), or `error`.
    static func ansible(_ expressions: [String]) throws -> [String] {
        let program = """
            import json, sys
            from ansible.parsing.dataloader import DataLoader
            from ansible.template import Templar, trust_as_template
            templar = Templar(loader=DataLoader(), variables={})
            for expression in json.load(sys.stdin):
                try:
                    print(repr(templar.template(trust_as_template('{{ ' + expression + ' }}'))))
                except Exception:
                    print('error')
            """
        // Expressions go as a file: a pipe both written and read here could fill and stall.
        let input = TestScratch.directory + "/capstan-path-tests-\(UUID().uuidString).json"
        defer { unlink(input) }
        try JSONSerialization.data(withJSONObject: expressions).write(to: URL(fileURLWithPath: input))
        let run = try SpawnedProcess.run(
            Fixtures.packageRoot.appendingPathComponent(".build/venv/bin/python").path,
            ["-c", program.replacingOccurrences(of: "sys.stdin", with: "open(sys.argv[1])"), input])
        guard run.status == 0 else { throw HostCommand.Failure(description: "ansible's Templar: \(run.err)") }
        return run.out.split(separator: "\n").map(String.init)
    }
}
