import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics

/// `unarchive` run for real with a local shell in a temporary directory, on archives built here
/// with the system's `tar` and `python3 -m zipfile`. Serialized, so that no other test's upload is in
/// /tmp when one checks that its own was removed.
@Suite(.serialized) struct UnarchiveModuleTests {
    /// A sandbox with `payload/a.txt`, `payload/sub/b.txt` packed as `name` by `command`.
    func sandbox(_ name: String, _ pack: String) throws -> FileSandbox {
        let box = try FileSandbox()
        try FileManager.default.createDirectory(atPath: box.path("payload/sub"), withIntermediateDirectories: true)
        try box.write("payload/a.txt", "alpha\n")
        try box.write("payload/sub/b.txt", "beta\n")
        try FileManager.default.createDirectory(atPath: box.path("out"), withIntermediateDirectories: true)
        let status = try Self.shell("cd '\(box.path("payload"))' && \(pack) '\(box.path(name))' a.txt sub")
        #expect(status == 0)
        return box
    }

    static func shell(_ command: String) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    @Test(arguments: [
        ("a.tar.gz", "tar -czf", "TgzArchive"), ("a.tar", "tar -cf", "TarArchive"),
        ("a.tar.bz2", "tar -cjf", "TarBzipArchive"), ("a.tar.xz", "tar -cJf", "TarXzArchive"),
        ("a.zip", "python3 -m zipfile -c", "ZipArchive"),
    ])
    func extractsOnceThenOk(name: String, pack: String, handler: String) async throws {
        let box = try sandbox(name, pack)
        let args: OrderedDictionary<String, Value> = [
            "src": .string(name), "dest": .string(box.path("out")), "list_files": true,
        ]
        // Ansible's tar handlers skip check mode (checked against ansible 2.19 by Tests/difftest);
        // its zip handler predicts.
        let predicted = try await box.run("unarchive", args, check: true)
        if handler == "ZipArchive" {
            #expect(predicted.changed, "\(predicted.fields)")
        } else {
            #expect(predicted.status == .skipped, "\(predicted.fields)")
            #expect(
                predicted.msg == "remote module (ansible.legacy.unarchive) does not support check mode when using gtar")
        }
        #expect(box.read("out/a.txt") == nil)

        let first = try await box.run("unarchive", args)
        #expect(first.changed, "\(first.fields)")
        #expect(first.fields["handler"] == .string(handler))
        #expect(box.read("out/a.txt") == "alpha\n")
        #expect(box.read("out/sub/b.txt") == "beta\n")
        // What ansible 2.19's unarchive listed for the same archive (directories left out).
        #expect(first.fields["files"] == ["a.txt", "sub/b.txt"])
        // One upload, one program.
        #expect(box.connection.roundTrips == 2)

        let second = try await box.run("unarchive", args)
        #expect(second.status == .ok, "\(second.fields)")

        try box.write("out/sub/b.txt", "changed\n")
        let third = try await box.run("unarchive", args)
        #expect(third.changed)
        #expect(box.read("out/sub/b.txt") == "beta\n")
        // The uploaded copy is removed again.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter {
            $0.hasPrefix(".capstan-unarchive-")
        }
        #expect(leftovers.isEmpty)
    }

    // A mode without the execute bit on the folders it makes stops anyone but root writing into them.
    @Test(.enabled(if: TestUser.isRoot)) func remoteSourceCreatesAndMissingDest() async throws {
        let box = try sandbox("a.tgz", "tar -czf")
        var args: OrderedDictionary<String, Value> = [
            "src": .string(box.path("a.tgz")), "dest": .string(box.path("out")), "remote_src": true,
            "creates": .string(box.path("out/a.txt")), "mode": "0600",
        ]
        let first = try await box.run("unarchive", args)
        #expect(first.changed)
        #expect(box.tree().contains { $0.contains("out/a.txt") && $0.contains("600") })
        let skipped = try await box.run("unarchive", args)
        #expect(skipped.status == .skipped)
        #expect(skipped.msg == "skipped, since \(box.path("out/a.txt")) exists")

        args["creates"] = nil
        let again = try await box.run("unarchive", args)
        #expect(again.status == .ok, "\(again.fields)")

        args["dest"] = .string(box.path("missing"))
        let failed = try await box.run("unarchive", args)
        #expect(failed.failed)
        #expect(failed.msg == "Destination '\(box.path("missing"))' is not a directory")
    }

    @Test func excludeLeavesMembersOut() async throws {
        let box = try sandbox("a.tgz", "tar -czf")
        let args: OrderedDictionary<String, Value> = [
            "src": "a.tgz", "dest": .string(box.path("out")), "exclude": ["sub/b.txt"],
        ]
        let first = try await box.run("unarchive", args)
        #expect(first.changed)
        #expect(box.read("out/a.txt") == "alpha\n")
        #expect(box.read("out/sub/b.txt") == nil)
        #expect(try await box.run("unarchive", args).status == .ok)
    }

    @Test func missingControllerSourceFails() async throws {
        let box = try FileSandbox()
        let outcome = try await box.run("unarchive", ["src": "nope.tgz", "dest": .string(box.path(""))])
        #expect(outcome.failed)
        #expect(outcome.msg.hasPrefix("Could not find or access 'nope.tgz'"))
    }
}
