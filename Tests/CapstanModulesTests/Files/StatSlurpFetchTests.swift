import CapstanModules
import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics

/// `stat` (checked live against Ansible's own stat module on the same files), `slurp` and `fetch`.
@Suite struct StatSlurpFetchTests {
    /// Ansible's stat module run directly by the venv's Python on `path`.
    static func ansibleStat(_ path: String, follow: Bool) throws -> [String: Any] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-stat-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let args = dir.appendingPathComponent("args.json")
        let json = try JSONSerialization.data(withJSONObject: ["ANSIBLE_MODULE_ARGS": ["path": path, "follow": follow]])
        try json.write(to: args)
        let p = Process()
        p.executableURL = Fixtures.packageRoot.appendingPathComponent(".build/venv/bin/python")
        p.arguments = ["-m", "ansible.modules.stat", args.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let result = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return result?["stat"] as? [String: Any] ?? [:]
    }

    static func compare(_ ours: OrderedDictionary<String, Value>, _ theirs: [String: Any], path: String) {
        let keys = [
            "exists", "path", "mode", "isdir", "isreg", "islnk", "ischr", "isblk", "isfifo", "issock", "uid", "gid",
            "size", "inode", "dev", "nlink", "mtime", "ctime", "pw_name", "gr_name", "readable", "writeable",
            "executable", "checksum", "lnk_source", "lnk_target", "wusr", "rusr", "xusr", "wgrp", "rgrp", "xgrp",
            "woth", "roth", "xoth", "isuid", "isgid", "blocks", "block_size", "mimetype", "charset",
        ]
        for key in keys {
            let mine = ours[key]
            let other = theirs[key]
            switch (mine, other) {
            case (nil, nil): continue
            case (.bool(let a)?, let b as Bool): #expect(a == b, "\(path) \(key)")
            case (.int(let a)?, let b as NSNumber): #expect(a == b.intValue, "\(path) \(key)")
            case (.float(let a)?, let b as NSNumber): #expect(abs(a - b.doubleValue) < 1e-5, "\(path) \(key)")
            case (.string(let a)?, let b as String): #expect(a == b, "\(path) \(key)")
            default:
                Issue.record("\(path) \(key): ours \(String(describing: mine)), Ansible's \(String(describing: other))")
            }
        }
    }

    @Test func statMatchesAnsibleOnFileDirectoryLinkAndMissing() async throws {
        let box = try FileSandbox()
        try box.write("f.txt", "hello\n")
        try FileManager.default.createDirectory(atPath: box.path("d"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: box.path("l"), withDestinationPath: "f.txt")
        try FileManager.default.createSymbolicLink(atPath: box.path("dangling"), withDestinationPath: "nowhere")
        chmod(box.path("f.txt"), 0o4751)
        for (name, follow) in [
            ("f.txt", false), ("d", false), ("l", false), ("l", true), ("dangling", false), ("dangling", true),
            ("missing", false),
        ] {
            let path = box.path(name)
            let theirs = try Self.ansibleStat(path, follow: follow)
            let ours = try await box.run("stat", ["path": .string(path), "follow": .bool(follow)])
            #expect(box.connection.roundTrips == 1)
            #expect(ours.status == .ok)
            Self.compare(ours.fields["stat"]?.dictValue ?? [:], theirs, path: "\(name) follow=\(follow)")
        }
        let sha256 = try await box.run("stat", ["path": .string(box.path("f.txt")), "checksum_algorithm": "sha256"])
        #expect(
            sha256.fields["stat"]?.dictValue?["checksum"]
                == "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")
    }

    /// What `file` prints counts only when it succeeds (Ansible reads its output only for rc 0); a
    /// checksum tool's `<digest>  -` gives the digest alone.
    @Test func mimeFromAFailedFileIsUnknown() async throws {
        let box = try FileSandbox()
        try box.write("f.txt", "hello\n")
        let bin = box.path("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try box.write("bin/file", "#!/bin/sh\necho \"$4: text/plain; charset=us-ascii\"\nexit ${FILE_RC:-0}\n")
        chmod(box.path("bin/file"), 0o755)
        let stat = try ModuleRegistry.standard.instantiate("stat", arguments: ["path": .string(box.path("f.txt"))])
        for (rc, mime) in [("0", "text/plain"), ("1", "unknown")] {
            var context = ModuleContext(host: "testhost", connection: box.connection)
            context.commandOptions.environment = ["PATH": bin + ":/usr/bin:/bin", "FILE_RC": rc]
            let facts = try await stat.run(in: context).fields["stat"]?.dictValue ?? [:]
            #expect(facts["mimetype"] == .string(mime), "rc \(rc)")
            #expect(facts["checksum"] == "f572d396fae9206628714fb2ce00f72e94f2258f")
            #expect(facts["size"] == 6)
        }
    }

    @Test func slurpReturnsBase64() async throws {
        let box = try FileSandbox()
        try box.write("s", "hello\n")
        let result = try await box.run("slurp", ["src": .string(box.path("s"))])
        #expect(result.fields["content"] == "aGVsbG8K")
        #expect(result.fields["encoding"] == "base64")
        #expect(result.fields["source"] == .string(box.path("s")))
        #expect(box.connection.roundTrips == 1)
        #expect(
            try await box.run("slurp", ["path": .string(box.path("none"))]).msg == "file not found: \(box.path("none"))"
        )
        #expect(
            try await box.run("slurp", ["src": .string(box.root.path)]).msg
                == "source is a directory and must be a file")
    }

    @Test func fetchIntoHostFolderThenOk() async throws {
        let box = try FileSandbox()
        try box.write("remote.conf", "data\n")
        let src = box.path("remote.conf")
        let args: OrderedDictionary<String, Value> = ["src": .string(src), "dest": .string(box.path("fetched"))]
        let first = try await box.run("fetch", args)
        #expect(first.changed)
        #expect(box.connection.roundTrips == 1)
        let local = box.path("fetched") + "/testhost" + src
        #expect((try? String(contentsOfFile: local, encoding: .utf8)) == "data\n")
        #expect(first.fields["dest"] == .string(local))
        #expect(first.fields["checksum"] == first.fields["remote_checksum"])
        let second = try await box.run("fetch", args)
        #expect(second.status == .ok)

        let flat = try await box.run(
            "fetch", ["src": .string(src), "dest": .string(box.path("flat") + "/"), "flat": true])
        #expect(flat.changed)
        #expect(box.read("flat/remote.conf") == "data\n")

        let missing = try await box.run("fetch", ["src": .string(box.path("nope")), "dest": .string(box.path("x"))])
        #expect(missing.failed)
        #expect(missing.msg == "the remote file does not exist, not transferring, ignored")
        let tolerated = try await box.run(
            "fetch", ["src": .string(box.path("nope")), "dest": .string(box.path("x")), "fail_on_missing": false])
        #expect(tolerated.status == .ok)
    }
}
