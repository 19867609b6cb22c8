import CapstanModules
import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics

/// `copy` run for real with a local shell in a temporary directory.
@Suite struct CopyModuleTests {
    @Test func contentIsWrittenOnceThenOk() async throws {
        let box = try FileSandbox()
        let args: OrderedDictionary<String, Value> = ["content": "hello\n", "dest": .string(box.path("a.txt"))]
        let before = box.tree()
        let predicted = try await box.run("copy", args, check: true)
        #expect(predicted.changed)
        #expect(box.tree() == before)

        let first = try await box.run("copy", args)
        #expect(first.changed)
        #expect(box.connection.roundTrips <= 3)
        #expect(box.read("a.txt") == "hello\n")
        #expect(first.fields["checksum"] == "f572d396fae9206628714fb2ce00f72e94f2258f")
        #expect(first.fields["md5sum"] == "b1946ac92492d2347c6235b4d2611184")
        #expect(first.fields["dest"] == .string(box.path("a.txt")))
        #expect(first.fields["size"] == 6)
        #expect(first.fields["mode"] == "0644")
        #expect(first.fields["owner"] == .string(TestUser.name))
        #expect(first.fields["state"] == "file")

        let second = try await box.run("copy", args)
        #expect(second.status == .ok)
        #expect(box.connection.roundTrips == 1)
        #expect(second.fields["checksum"] == "f572d396fae9206628714fb2ce00f72e94f2258f")
    }

    @Test func modesOwnerAndAttributeOnlyChanges() async throws {
        let box = try FileSandbox()
        try box.write("a.txt", "hello\n")
        var args: OrderedDictionary<String, Value> = [
            "content": "hello\n", "dest": .string(box.path("a.txt")), "mode": "u=rw,g=,o=",
            "owner": .string(TestUser.name),
        ]
        let changed = try await box.run("copy", args)
        #expect(changed.changed)
        #expect(changed.fields["mode"] == "0600")
        #expect(try await box.run("copy", args).status == .ok)
        args["mode"] = .int(0o640)
        #expect(try await box.run("copy", args).fields["mode"] == "0640")
        args["mode"] = "0640"
        #expect(try await box.run("copy", args).status == .ok)
        // An unquoted YAML 644 is decimal: Ansible sets 0o1204, and so do we.
        args["mode"] = .int(644)
        #expect(try await box.run("copy", args).fields["mode"] == "01204")
    }

    @Test func sourceFromSearchPathIntoDirectory() async throws {
        let box = try FileSandbox()
        try FileManager.default.createDirectory(atPath: box.path("role/files"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: box.path("out"), withIntermediateDirectories: true)
        try box.write("role/files/motd", "hello world\n")
        let args: OrderedDictionary<String, Value> = ["src": "motd", "dest": .string(box.path("out"))]
        let first = try await box.run("copy", args, diff: true, searchPaths: [box.path("role")])
        #expect(first.changed)
        #expect(box.read("out/motd") == "hello world\n")
        #expect(first.fields["dest"] == .string(box.path("out/motd")))
        let diff = first.fields["diff"]?.dictValue
        #expect(diff?["before"] == "")
        #expect(diff?["after"] == "hello world\n")
        #expect(diff?["after_header"] == .string(box.path("role/files/motd")))
        #expect(try await box.run("copy", args, searchPaths: [box.path("role")]).status == .ok)

        let slash = try await box.run(
            "copy", ["src": "motd", "dest": .string(box.path("new/dir") + "/")], searchPaths: [box.path("role")])
        #expect(slash.changed)
        #expect(box.read("new/dir/motd") == "hello world\n")

        let missing = try await box.run(
            "copy", ["src": "nope", "dest": .string(box.path("x"))], searchPaths: [box.path("role")])
        #expect(missing.failed)
        #expect(
            missing.msg.hasPrefix("Could not find or access 'nope'\nSearched in:\n\t\(box.path("role/files/nope"))"))
    }

    @Test func backupValidateForceAndDiff() async throws {
        let box = try FileSandbox()
        try box.write("conf", "old\n")
        let dest = box.path("conf")
        let bad = try await box.run(
            "copy", ["content": "new\n", "dest": .string(dest), "validate": "grep -q nothing %s"])
        #expect(bad.failed)
        #expect(bad.msg == "failed to validate")
        #expect(bad.fields["exit_status"] == 1)
        #expect(box.read("conf") == "old\n")
        let noPercent = try await box.run("copy", ["content": "new\n", "dest": .string(dest), "validate": "true"])
        #expect(noPercent.msg == "validate must contain %s: true")

        let good = try await box.run(
            "copy", ["content": "new\n", "dest": .string(dest), "validate": "grep -q new %s", "backup": true],
            diff: true)
        #expect(good.changed)
        #expect(box.read("conf") == "new\n")
        let backup = try #require(good.fields["backup_file"]?.stringValue)
        #expect(backup.hasPrefix(dest + "."))
        #expect(backup.hasSuffix("~"))
        #expect((try? String(contentsOfFile: backup, encoding: .utf8)) == "old\n")
        let diff = good.fields["diff"]?.dictValue
        #expect(diff?["before"] == "old\n")
        #expect(diff?["before_header"] == .string(dest))
        #expect(diff?["after_header"] == .string(dest))

        let kept = try await box.run("copy", ["content": "other\n", "dest": .string(dest), "force": false])
        #expect(kept.status == .ok)
        #expect(box.read("conf") == "new\n")
        #expect(
            try await box.run("copy", ["content": "x", "dest": .string(box.path("d") + "/")]).msg
                == "can not use content with a dir as dest")
    }

    @Test func directoryTreeCopiesOnlyChangedFiles() async throws {
        let box = try FileSandbox()
        for (name, text) in [("src/a", "A\n"), ("src/sub/b", "B\n"), ("src/sub/deeper/c", "C\n")] {
            try FileManager.default.createDirectory(
                atPath: (box.path(name) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try box.write(name, text)
        }
        try FileManager.default.createDirectory(atPath: box.path("src/empty"), withIntermediateDirectories: true)
        let args: OrderedDictionary<String, Value> = [
            "src": .string(box.path("src")), "dest": .string(box.path("dst")), "directory_mode": "0750",
        ]
        let before = box.tree()
        #expect(try await box.run("copy", args, check: true).changed)
        #expect(box.tree() == before)
        let first = try await box.run("copy", args)
        #expect(first.changed)
        #expect(box.connection.roundTrips <= 3)
        #expect(box.read("dst/src/sub/deeper/c") == "C\n")
        let mode = try FileManager.default.attributesOfItem(atPath: box.path("dst/src/sub"))[.posixPermissions] as? Int
        #expect(mode == 0o750)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: box.path("dst/src/empty"), isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
        #expect(try await box.run("copy", args).status == .ok)
        #expect(box.connection.roundTrips == 1)

        try box.write("src/sub/b", "B2\n")
        let contentsOnly: OrderedDictionary<String, Value> = [
            "src": .string(box.path("src") + "/"), "dest": .string(box.path("dst/src")),
        ]
        #expect(try await box.run("copy", contentsOnly).changed)
        #expect(box.read("dst/src/sub/b") == "B2\n")
        #expect(try await box.run("copy", contentsOnly).status == .ok)
    }

    @Test func remoteSourceFileAndDirectory() async throws {
        let box = try FileSandbox()
        try box.write("on-node", "node data\n")
        let args: OrderedDictionary<String, Value> = [
            "src": .string(box.path("on-node")), "dest": .string(box.path("copied")), "remote_src": true,
            "mode": "0600",
        ]
        let first = try await box.run("copy", args)
        #expect(first.changed)
        #expect(box.connection.roundTrips <= 3)
        #expect(box.read("copied") == "node data\n")
        #expect(first.fields["mode"] == "0600")
        #expect(try await box.run("copy", args).status == .ok)

        try FileManager.default.createDirectory(atPath: box.path("tree/x"), withIntermediateDirectories: true)
        try box.write("tree/x/f", "f\n")
        let dir: OrderedDictionary<String, Value> = [
            "src": .string(box.path("tree")), "dest": .string(box.path("out")), "remote_src": true,
        ]
        #expect(try await box.run("copy", dir).changed)
        #expect(box.read("out/tree/x/f") == "f\n")
        #expect(try await box.run("copy", dir).status == .ok)
    }

    @Test func followWritesThroughALinkAndChecksumIsVerified() async throws {
        let box = try FileSandbox()
        try box.write("real", "old\n")
        try FileManager.default.createSymbolicLink(atPath: box.path("link"), withDestinationPath: "real")
        let followed = try await box.run(
            "copy", ["content": "new\n", "dest": .string(box.path("link")), "follow": true])
        #expect(followed.changed)
        #expect(box.read("real") == "new\n")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: box.path("link"))) == "real")
        let replaced = try await box.run("copy", ["content": "other\n", "dest": .string(box.path("link"))])
        #expect(replaced.changed)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: box.path("link"))) == nil)
        #expect(box.read("real") == "new\n")

        try box.write("src.txt", "hello\n")
        let wrong = try await box.run(
            "copy", ["src": .string(box.path("src.txt")), "dest": .string(box.path("c")), "checksum": "0000"])
        #expect(wrong.msg == "Copied file does not match the expected checksum. Transfer failed.")
        let right = try await box.run(
            "copy",
            [
                "src": .string(box.path("src.txt")), "dest": .string(box.path("c")),
                "checksum": "f572d396fae9206628714fb2ce00f72e94f2258f",
            ])
        #expect(right.changed)
    }

    /// (existing bytes, new content): equal sizes unless noted.
    static let oneByteApart: [([UInt8], String)] = {
        let long: [UInt8] = Array(repeating: UInt8(ascii: "a"), count: 600) + [10]
        let longOther: String = String(repeating: "a", count: 599) + "b\n"
        return [
            (Array("hello\n".utf8), "hallo\n"),  // one byte differs
            (Array("hel\0o\n".utf8), "hello\n"),  // a NUL, which the shell's read drops
            (Array("hello\r\n".utf8), "hello\n\n"),  // CR against a second line break
            (Array("ab\n".utf8), "abc"),  // the last line break against a last byte
            (Array("abc".utf8), "ab\n"),
            (Array("hello".utf8), "hello\n"),  // sizes differ
            (long, longOther),  // past what the shell compares itself
        ]
    }()

    /// The probe settles "same content?" by size, by the shell reading small text back, or by SHA-1:
    /// each way must see a difference of one byte, and only a true match may be `ok`.
    @Test(arguments: oneByteApart)
    func aDifferenceOfOneByteIsAChange(existing: [UInt8], content: String) async throws {
        let box = try FileSandbox()
        #expect(FileManager.default.createFile(atPath: box.path("f"), contents: Data(existing)))
        let args: OrderedDictionary<String, Value> = ["content": .string(content), "dest": .string(box.path("f"))]
        #expect(try await box.run("copy", args).changed)
        #expect(box.read("f") == content)
        #expect(try await box.run("copy", args).status == .ok)
    }

    @Test func equalBytesAreOkWhicheverWayTheyAreCompared() async throws {
        let box = try FileSandbox()
        let texts = [
            "a\\b 'quoted' $HOME `x` \"y\"\r\n\ttabs\n\n", "no line break at the end", "\n", "é ü 漢字\n",
            String(repeating: "long line ", count: 100) + "\n",
        ]
        for (i, text) in texts.enumerated() {
            try box.write("t\(i)", text)
            let args: OrderedDictionary<String, Value> = ["content": .string(text), "dest": .string(box.path("t\(i)"))]
            #expect(try await box.run("copy", args).status == .ok, "text \(i)")
        }
        // Bytes that are not UTF-8 (from a source file): compared by SHA-1.
        let latin1: [UInt8] = [0x63, 0x61, 0x66, 0xE9, 0x0A]
        #expect(FileManager.default.createFile(atPath: box.path("src"), contents: Data(latin1)))
        let args: OrderedDictionary<String, Value> = [
            "src": .string(box.path("src")), "dest": .string(box.path("dst")),
        ]
        #expect(try await box.run("copy", args).changed)
        #expect(try await box.run("copy", args).status == .ok)
        #expect(FileManager.default.contents(atPath: box.path("dst")) == Data(latin1))
    }

    @Test func badArguments() async throws {
        let box = try FileSandbox()
        await #expect(throws: ModuleArgumentError.self) { try await box.run("copy", ["content": "x"]) }
        await #expect(throws: ModuleArgumentError.self) {
            try await box.run("copy", ["content": "x", "src": "y", "dest": "/tmp/z"])
        }
        await #expect(throws: ModuleArgumentError.self) {
            try await box.run("copy", ["content": "x", "dest": "/tmp/z", "mode": "u=rwz"])
        }
        #expect(try await box.run("copy", ["dest": .string(box.path("z"))]).msg == "src (or content) is required")
    }
}
