import CapstanModules
import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics

/// `file` run for real with a local shell in a temporary directory.
@Suite struct FileModuleTests {
    func mode(_ path: String) -> Int? {
        try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }

    /// Runs a module three ways: check mode (must predict `changed` and touch nothing), for real
    /// (`changed`, within the round-trip budget), and again (`ok`).
    func converge(_ box: FileSandbox, _ args: OrderedDictionary<String, Value>, budget: Int = 2) async throws
        -> ModuleOutcome
    {
        let before = box.tree()
        let predicted = try await box.run("file", args, check: true)
        #expect(predicted.changed, "check mode predicts a change")
        #expect(box.tree() == before, "check mode touched the sandbox")
        let first = try await box.run("file", args, diff: true)
        #expect(first.changed)
        #expect(box.connection.roundTrips <= budget)
        let second = try await box.run("file", args)
        #expect(second.status == .ok, "second run: \(second.fields)")
        return first
    }

    @Test func directoryWithModeOnEveryCreatedLevel() async throws {
        let box = try FileSandbox()
        let first = try await converge(box, ["path": .string(box.path("a/b/c")), "state": "directory", "mode": "0750"])
        #expect(mode(box.path("a")) == 0o750)
        #expect(mode(box.path("a/b/c")) == 0o750)
        #expect(first.fields["state"] == "directory")
        #expect(first.fields["mode"] == "0750")
        let diff = first.fields["diff"]?.dictValue
        #expect(diff?["before"]?.dictValue?["state"] == "absent")
        #expect(diff?["after"]?.dictValue?["state"] == "directory")
        let onFile = try await box.run("file", ["path": .string(box.path("a/b/c")), "state": "file"])
        #expect(onFile.msg == "file (\(box.path("a/b/c"))) is directory, cannot continue")
    }

    @Test func symbolicModeOnExistingFile() async throws {
        let box = try FileSandbox()
        try box.write("f", "x")
        let first = try await converge(box, ["path": .string(box.path("f")), "mode": "u+x,g-r"])
        #expect(mode(box.path("f")) == 0o704)
        let diff = first.fields["diff"]?.dictValue
        #expect(diff?["before"]?.dictValue?["mode"] == "0644")
        #expect(diff?["after"]?.dictValue?["mode"] == "0704")
    }

    @Test func recurseSetsModeBelow() async throws {
        let box = try FileSandbox()
        try FileManager.default.createDirectory(atPath: box.path("d/e"), withIntermediateDirectories: true)
        try box.write("d/e/f", "x")
        _ = try await converge(
            box, ["path": .string(box.path("d")), "state": "directory", "recurse": true, "mode": "u=rwX,g=rX,o="])
        #expect(mode(box.path("d/e")) == 0o750)
        #expect(mode(box.path("d/e/f")) == 0o640)
    }

    @Test func touchCreatesAndAlwaysChangesUnlessTimesPreserved() async throws {
        let box = try FileSandbox()
        let path = box.path("t")
        let first = try await box.run("file", ["path": .string(path), "state": "touch"])
        #expect(first.changed)
        #expect(first.fields["dest"] == .string(path))
        #expect(box.read("t") == "")
        #expect(try await box.run("file", ["path": .string(path), "state": "touch"]).changed)
        let preserved: OrderedDictionary<String, Value> = [
            "path": .string(path), "state": "touch", "modification_time": "preserve", "access_time": "preserve",
        ]
        #expect(try await box.run("file", preserved).status == .ok)
        let stamped: OrderedDictionary<String, Value> = [
            "path": .string(path), "state": "touch", "modification_time": "202001021530.45", "access_time": "preserve",
        ]
        #expect(try await box.run("file", stamped).changed)
        #expect(try await box.run("file", stamped).status == .ok)
        let mtime = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        #expect(mtime.map { Int($0.timeIntervalSince1970) } == Int(FileTimestampsProbe.epoch("202001021530.45")))
    }

    @Test func symlinksAndTheirErrors() async throws {
        let box = try FileSandbox()
        try box.write("target", "x")
        let first = try await converge(box, ["path": .string(box.path("ln")), "src": "target", "state": "link"])
        #expect(first.fields["src"] == "target")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: box.path("ln")) == "target")
        _ = try await converge(
            box, ["path": .string(box.path("ln")), "src": .string(box.path("target")), "state": "link"])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: box.path("ln")) == box.path("target"))

        let dangling = try await box.run("file", ["path": .string(box.path("ln2")), "src": "nowhere", "state": "link"])
        #expect(dangling.failed)
        #expect(
            dangling.msg
                == "src file does not exist, use 'force=yes' if you really want to create the link: \(box.root.path)/nowhere"
        )
        let forced = try await box.run(
            "file", ["path": .string(box.path("ln2")), "src": "nowhere", "state": "link", "force": true])
        #expect(forced.changed)
        let overFile = try await box.run("file", ["path": .string(box.path("target")), "src": "ln", "state": "link"])
        #expect(overFile.msg == "refusing to convert from file to symlink for \(box.path("target"))")
    }

    /// A link's text is read from `stat`'s `PATH -> TEXT`: names that hold ` -> ` themselves, quotes,
    /// line breaks or bytes that are not ASCII must still come back exactly.
    @Test func linkTextsThatLookLikeStatOutput() async throws {
        let box = try FileSandbox()
        for (name, text) in [
            ("a -> b", "c -> d"), ("it's", "\"quoted\" 'too'"), ("line\nbreak", "ü/漢字"), ("plain", "a -> b -> c"),
        ] {
            try box.write(text.replacingOccurrences(of: "/", with: "-"), "x")
            let args: OrderedDictionary<String, Value> = [
                "path": .string(box.path(name)), "src": .string(text), "state": "link", "force": true,
            ]
            #expect(try await box.run("file", args).changed, "\(name)")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: box.path(name)) == text)
            let again = try await box.run("file", args)
            #expect(again.status == .ok, "\(name): \(again.fields)")
        }
    }

    @Test func hardLinks() async throws {
        let box = try FileSandbox()
        try box.write("orig", "x")
        _ = try await converge(
            box, ["path": .string(box.path("hl")), "src": .string(box.path("orig")), "state": "hard"])
        let a = try FileManager.default.attributesOfItem(atPath: box.path("orig"))[.systemFileNumber] as? Int
        let b = try FileManager.default.attributesOfItem(atPath: box.path("hl"))[.systemFileNumber] as? Int
        #expect(a == b)
        try box.write("other", "y")
        let refused = try await box.run(
            "file", ["path": .string(box.path("other")), "src": .string(box.path("orig")), "state": "hard"])
        #expect(refused.msg == "Cannot link, file exists at destination")
    }

    @Test func absentRemovesFilesAndTrees() async throws {
        let box = try FileSandbox()
        try FileManager.default.createDirectory(atPath: box.path("gone/x"), withIntermediateDirectories: true)
        try box.write("gone/x/f", "x")
        let first = try await converge(box, ["path": .string(box.path("gone")), "state": "absent"])
        #expect(first.fields["state"] == "absent")
        #expect(!FileManager.default.fileExists(atPath: box.path("gone")))
    }

    @Test func argumentRulesAndMissingFile() async throws {
        let box = try FileSandbox()
        let missing = try await box.run("file", ["path": .string(box.path("nope"))])
        #expect(missing.msg == "file (\(box.path("nope"))) is absent, cannot continue")
        let recurse = try await box.run("file", ["path": .string(box.path("nope")), "state": "file", "recurse": true])
        #expect(recurse.msg == "recurse option requires state to be 'directory'")
        let src = try await box.run("file", ["path": .string(box.path("nope")), "src": "x", "state": "directory"])
        #expect(src.msg == "src option requires state to be 'link' or 'hard'")
        await #expect(throws: ModuleArgumentError.self) {
            try await box.run("file", ["path": "/tmp/x", "state": "sideways"])
        }
    }
}

/// The epoch of a `%Y%m%d%H%M.%S` time in local time, computed by GNU `date` as a cross-check.
enum FileTimestampsProbe {
    static func epoch(_ stamp: String) -> Double {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        let s = stamp
        let iso =
            "\(s.prefix(4))-\(s.dropFirst(4).prefix(2))-\(s.dropFirst(6).prefix(2)) \(s.dropFirst(8).prefix(2)):\(s.dropFirst(10).prefix(2)):\(s.suffix(2))"
        p.arguments = ["-c", "date -d '\(iso)' +%s"]
        let out = Pipe()
        p.standardOutput = out
        try? p.run()
        p.waitUntilExit()
        return Double(
            String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(
                in: .whitespacesAndNewlines)) ?? -1
    }
}
