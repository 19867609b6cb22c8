import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanPlaybook

/// Imports, roles and includes that never end (a file reaching itself under ever longer names, an
/// `include_tasks` of itself) stop at `IncludeLimits.maximumDepth` with a located error (issue 14).
struct IncludeLimitsTests {
    /// A fresh folder with `files` (relative path → text) and `links` (relative path → target).
    static func folder(_ files: [String: String], links: [String: String] = [:]) throws -> String {
        let dir = TestScratch.directory + "/capstan-include-limits-\(UUID().uuidString)"
        for (name, text) in files {
            let path = "\(dir)/\(name)"
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        for (name, target) in links {
            try FileManager.default.createSymbolicLink(atPath: "\(dir)/\(name)", withDestinationPath: target)
        }
        return dir
    }

    static func loadError(_ dir: String) -> InputError? {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            _ = try PlaybookLoader(knownModules: PlaybookFixtures.knownModules).load(path: "\(dir)/site.yml")
            return nil
        } catch {
            return error as? InputError
        }
    }

    @Test func importsThroughASymlinkToTheirOwnFolderStopWithAnError() throws {
        // The kernel stops resolving after 40 links, so these end as "imports itself" or "not found".
        let tasks = try Self.folder(
            [
                "site.yml": "- hosts: all\n  tasks:\n    - import_tasks: t.yml\n",
                "t.yml": "- debug: msg=x\n- import_tasks: loop/t.yml\n",
            ], links: ["loop": "."])
        #expect(Self.loadError(tasks) != nil)
        let playbook = try Self.folder(["site.yml": "- import_playbook: loop/site.yml\n"], links: ["loop": "."])
        #expect(Self.loadError(playbook) != nil)
        let roles = try Self.folder(
            [
                "site.yml": "- hosts: all\n  roles: [r]\n",
                "roles/r/meta/main.yml": "dependencies: [loop/r]\n",
                "roles/r/tasks/main.yml": "- debug: msg=x\n",
            ], links: ["roles/loop": "."])
        #expect(Self.loadError(roles) != nil)
    }

    /// `site.yml` importing `t1.yml`, each `tN.yml` importing the next, `depth` files in all.
    static func importChain(_ depth: Int, bottom: String = "- debug: msg=bottom\n") -> [String: String] {
        var files = ["site.yml": "- hosts: all\n  tasks:\n    - import_tasks: t1.yml\n"]
        for i in 1..<depth { files["t\(i).yml"] = "- debug: msg=\(i)\n- import_tasks: t\(i + 1).yml\n" }
        files["t\(depth).yml"] = bottom
        return files
    }

    @Test func importTasksPastTheBoundIsAnError() throws {
        let limit = IncludeLimits.maximumDepth
        let error = Self.loadError(try Self.folder(Self.importChain(limit + 1)))
        #expect(error?.message.contains("Exceeded maximum object depth") == true)
        #expect(error?.location.file.hasSuffix("/t\(limit).yml") == true)
        #expect(error?.location.line == 2)
    }

    @Test func importTasksUpToTheBoundLoadEvenWithDeepBlocksAtTheBottom() throws {
        // 490 blocks in blocks are as deep as libyaml lets a file nest; with 256 imports above them
        // this needs more than a concurrency thread's 8 MB of stack in a debug build.
        let blocks =
            "- block: " + String(repeating: "[{block: ", count: 490) + "[{debug: msg=x}]"
            + String(repeating: "}]", count: 490) + "\n"
        let dir = try Self.folder(Self.importChain(IncludeLimits.maximumDepth, bottom: blocks))
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let book = try PlaybookLoader(knownModules: PlaybookFixtures.knownModules).load(path: "\(dir)/site.yml")
        #expect(book.plays.count == 1)
    }

    @Test func importPlaybookPastTheBoundIsAnError() throws {
        let limit = IncludeLimits.maximumDepth
        var files = ["site.yml": "- import_playbook: p1.yml\n"]
        for i in 1...limit { files["p\(i).yml"] = "- import_playbook: p\(i + 1).yml\n" }
        files["p\(limit + 1).yml"] = "- hosts: all\n  tasks: []\n"
        let error = Self.loadError(try Self.folder(files))
        #expect(error?.message.contains("Exceeded maximum object depth") == true)
    }

    @Test func roleDependenciesPastTheBoundAreAnError() throws {
        let limit = IncludeLimits.maximumDepth
        var files = ["site.yml": "- hosts: all\n  roles: [r0]\n"]
        for i in 0...limit { files["roles/r\(i)/meta/main.yml"] = "dependencies: [r\(i + 1)]\n" }
        files["roles/r\(limit + 1)/tasks/main.yml"] = "- debug: msg=x\n"
        let error = Self.loadError(try Self.folder(files))
        #expect(error?.message.contains("Exceeded maximum object depth") == true)
        #expect(error?.location.file.hasSuffix("meta/main.yml") == true)
    }

    @Test(arguments: ["1e300", ".inf", "-.inf", ".nan", "9223372036854775808.0"])
    func anExtremeFloatForAnIntegerKeywordIsAnError(_ number: String) throws {
        let error = PlaybookInline.error(
            "- hosts: all\n  serial: 1\n  tasks:\n    - debug: msg=x\n      retries: \(number)\n")
        #expect(error?.message.contains("is not a valid integer") == true)
        #expect(error?.location.line == 5)
    }

    @Test func aTaskWithManyKeysIsQuick() throws {
        // Keys are gathered (and duplicates dropped) before they are checked: that pass must be linear.
        let keys = (0..<40_000).map { "      k\($0 % 30_000): 1\n" }.joined()
        let start = Date()
        let error = PlaybookInline.error("- hosts: all\n  tasks:\n    - debug: msg=x\n\(keys)")
        #expect(error != nil)
        #expect(Date().timeIntervalSince(start) < 20)
    }

    @Test(arguments: [
        ("- include_tasks: self.yml\n", "self.yml", "- include_tasks: self.yml\n"),
        ("- include_role: {name: r}\n", "roles/r/tasks/main.yml", "- include_role: {name: r}\n"),
    ])
    func anIncludeOfItselfFailsTheHostAtTheBound(_ task: String, _ file: String, _ text: String) throws {
        let dir = try Self.folder([
            "book.yml": "- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n    \(task)",
            file: text,
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try CapstanBinary.run(["play", "--no-journal", "-i", "localhost,", "\(dir)/book.yml"])
        #expect(run.status == 2)
        #expect(run.out.contains("Exceeded maximum object depth"))
        #expect(run.out.components(separatedBy: "included: ").count - 1 == IncludeLimits.maximumDepth)
    }
}
