import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanModules

/// `deb822_repository`, `apt_key` and `unarchive` on a lab node over SSH (the lab image has gpg,
/// apt-key and unzip).
@Suite(.serialized) struct RepositoryModulesLabTests {
    @Test func deb822RepositoryOnANode() async throws {
        let node = try await LabNode.open(1)
        defer { Task { await node.close() } }
        let args: OrderedDictionary<String, Value> = [
            "name": "capstan-test", "uris": ["http://deb.example.invalid/debian"], "suites": ["bookworm"],
            "components": ["main"], "enabled": false,
        ]
        try await node.sh("rm -f /etc/apt/sources.list.d/capstan-test.sources")
        #expect(try await node.run(Deb822RepositoryModule.self, args, check: true).status == .changed)
        #expect(try await node.sh("ls /etc/apt/sources.list.d/capstan-test.sources 2>/dev/null || true") == "")
        let first = try await node.run(Deb822RepositoryModule.self, args)
        #expect(first.status == .changed)
        let text = try await node.sh("cat /etc/apt/sources.list.d/capstan-test.sources")
        #expect(first.fields["repo"] == .string(text + "\n"))
        #expect(try await node.run(Deb822RepositoryModule.self, args).status == .ok)
        var absent = args
        absent["state"] = "absent"
        #expect(try await node.run(Deb822RepositoryModule.self, absent).status == .changed)
        #expect(try await node.run(Deb822RepositoryModule.self, absent).status == .ok)
    }

    @Test func aptKeyThroughAptKeyAndIntoAKeyring() async throws {
        let node = try await LabNode.open(1)
        defer { Task { await node.close() } }
        let maker = AptKeyModuleTests()
        defer { try? FileManager.default.removeItem(atPath: maker.dir) }
        let key = try maker.makeKey("lab")
        let add: OrderedDictionary<String, Value> = ["data": .string(key.armored)]
        let first = try await node.run(AptKeyModule.self, add)
        #expect(first.status == .changed, "\(first.fields)")
        #expect(first.fields["id"] == .string(String(key.fingerprint.suffix(16))))
        #expect(try await node.run(AptKeyModule.self, add).status == .ok)
        let remove: OrderedDictionary<String, Value> = ["id": .string(key.fingerprint), "state": "absent"]
        #expect(try await node.run(AptKeyModule.self, remove).status == .changed)
        #expect(try await node.run(AptKeyModule.self, remove).status == .ok)

        try await node.sh("rm -rf /tmp/capstan-keyrings")
        let ring: OrderedDictionary<String, Value> = [
            "data": .string(key.armored), "keyring": "/tmp/capstan-keyrings/test.gpg",
        ]
        #expect(try await node.run(AptKeyModule.self, ring).status == .changed)
        #expect(try await node.run(AptKeyModule.self, ring).status == .ok)
        let listed = try await node.sh("gpg --with-colons --show-keys /tmp/capstan-keyrings/test.gpg | grep -c '^fpr'")
        #expect(Int(listed) ?? 0 >= 1)
    }

    @Test func unarchiveUploadsToANode() async throws {
        let node = try await LabNode.open(1)
        defer { Task { await node.close() } }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-unarch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "alpha\n".write(to: dir.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        #expect(system("cd '\(dir.path)' && tar -czf a.tgz a.txt && python3 -m zipfile -c a.zip a.txt") == 0)
        try await node.sh("rm -rf /tmp/capstan-unarch && mkdir /tmp/capstan-unarch")
        let args: OrderedDictionary<String, Value> = [
            "src": .string(dir.path + "/a.tgz"), "dest": "/tmp/capstan-unarch",
        ]
        let first = try await node.run(UnarchiveModule.self, args)
        #expect(first.status == .changed, "\(first.fields)")
        #expect(try await node.sh("cat /tmp/capstan-unarch/a.txt") == "alpha")
        #expect(try await node.run(UnarchiveModule.self, args).status == .ok)
        #expect(try await node.sh("ls -a /tmp | grep -c capstan-unarchive- || true") == "0")
        try await node.sh("rm /tmp/capstan-unarch/a.txt")
        let zip = try await node.run(
            UnarchiveModule.self, ["src": .string(dir.path + "/a.zip"), "dest": "/tmp/capstan-unarch"])
        #expect(zip.status == .changed)
        #expect(zip.fields["handler"] == "ZipArchive")
        let zipAgain = try await node.run(
            UnarchiveModule.self, ["src": .string(dir.path + "/a.zip"), "dest": "/tmp/capstan-unarch"])
        #expect(zipAgain.status == .ok)
    }
}
