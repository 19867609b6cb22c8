import CapstanModules
import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics

/// lineinfile / blockinfile / replace beyond the oracle corpus: diff, backup, validate, attributes,
/// check mode on a file to create, and errors.
@Suite struct TextFileModuleTests {
    @Test func lineinfileDiffBackupAndAttributes() async throws {
        let box = try FileSandbox()
        try box.write("f", "a\n")
        let path = box.path("f")
        let args: OrderedDictionary<String, Value> = [
            "path": .string(path), "line": "b", "backup": true, "mode": "0600",
        ]
        let first = try await box.run("lineinfile", args, diff: true)
        #expect(first.changed)
        #expect(first.msg == "line added and ownership, perms or SE linux context changed")
        #expect(box.connection.roundTrips == 2)
        #expect(box.read("f") == "a\nb\n")
        let diffs = first.fields["diff"]?.listValue ?? []
        #expect(diffs.first?.dictValue?["before"] == "a\n")
        #expect(diffs.first?.dictValue?["after"] == "a\nb\n")
        #expect(diffs.first?.dictValue?["before_header"] == .string("\(path) (content)"))
        #expect(diffs.last?.dictValue?["after"]?.dictValue?["mode"] == "0600")
        let backup = try #require(first.fields["backup"]?.stringValue)
        #expect((try? String(contentsOfFile: backup, encoding: .utf8)) == "a\n")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let again = try await box.run("lineinfile", args)
        #expect(again.status == .ok)
        #expect(again.fields["backup"] == "")
        #expect(box.connection.roundTrips == 1)
    }

    @Test func checkModeDoesNotCreateFileOrParents() async throws {
        let box = try FileSandbox()
        let path = box.path("new/dir/f")
        let before = box.tree()
        for module in ["lineinfile", "blockinfile"] {
            let args: OrderedDictionary<String, Value> =
                module == "lineinfile"
                ? ["path": .string(path), "line": "x", "create": true]
                : ["path": .string(path), "block": "x", "create": true]
            let predicted = try await box.run(module, args, check: true)
            #expect(predicted.changed)
            #expect(box.tree() == before)
        }
        // The connecting user already owns a new file: no attribute change is reported.
        let created = try await box.run(
            "lineinfile", ["path": .string(path), "line": "x", "create": true, "owner": .string(TestUser.name)])
        #expect(created.changed)
        #expect(created.msg == "line added")
        #expect(box.read("new/dir/f") == "x\n")
    }

    @Test func validateRunsOnTheTemporaryFileBeforeTheRename() async throws {
        let box = try FileSandbox()
        try box.write("conf", "key=1\n")
        let path = box.path("conf")
        let refused = try await box.run(
            "replace", ["path": .string(path), "regexp": "1", "replace": "2", "validate": "grep -q key=3 %s"])
        #expect(refused.failed)
        #expect(refused.msg == "failed to validate: rc:1 error:")
        #expect(box.read("conf") == "key=1\n")
        let accepted = try await box.run(
            "replace", ["path": .string(path), "regexp": "1", "replace": "2", "validate": "grep -q key=2 %s"],
            diff: true)
        #expect(accepted.changed)
        #expect(box.read("conf") == "key=2\n")
        #expect(accepted.fields["diff"]?.dictValue?["before"] == "key=1\n")
        #expect(accepted.fields["diff"]?.dictValue?["after"] == "key=2\n")
        #expect(accepted.fields["diff"]?.dictValue?["after_header"] == .string(path))
    }

    @Test func symlinkedFileIsEditedThroughTheLink() async throws {
        let box = try FileSandbox()
        try box.write("real", "a\n")
        try FileManager.default.createSymbolicLink(atPath: box.path("link"), withDestinationPath: "real")
        let result = try await box.run("blockinfile", ["path": .string(box.path("link")), "block": "x"])
        #expect(result.changed)
        #expect(box.read("real") == "a\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: box.path("link"))) == "real")
    }

    @Test func errorsMeanWhatAnsiblesMean() async throws {
        let box = try FileSandbox()
        let dir = box.root.path
        #expect(
            try await box.run("lineinfile", ["path": .string(dir), "line": "x"]).msg == "Path \(dir) is a directory !")
        #expect(
            try await box.run("replace", ["path": .string(dir), "regexp": "x"]).msg == "Path \(dir) is a directory !")
        try box.write("f", "a\n")
        let bad = try await box.run("lineinfile", ["path": .string(box.path("f")), "regexp": "(", "line": "x"])
        #expect(bad.failed)
        await #expect(throws: ModuleArgumentError.self) {
            try await box.run("lineinfile", ["path": "/x", "line": "y", "insertafter": "a", "insertbefore": "b"])
        }
        await #expect(throws: ModuleArgumentError.self) { try await box.run("replace", ["path": "/x"]) }
        await #expect(throws: ModuleArgumentError.self) {
            try await box.run("blockinfile", ["path": "/x", "state": "gone"])
        }
        let validate = try await box.run(
            "lineinfile", ["path": .string(box.path("f")), "line": "x", "validate": "true"])
        #expect(validate.msg == "validate must contain %s: true")
    }
}
