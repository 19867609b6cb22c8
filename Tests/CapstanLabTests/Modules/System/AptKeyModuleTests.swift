import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanModules
@testable import CapstanTransport

/// `apt_key` with `keyring:` run with a local shell, on a throwaway key made here with gpg in a
/// temporary GNUPGHOME (no passphrase). Adding without a keyring needs apt-key and changes the
/// machine's apt trust, so it is not run here.
@Suite struct AptKeyModuleTests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-aptkey-\(UUID().uuidString)").path

    /// Makes a key (ed25519, no passphrase) in a GNUPGHOME under `dir` and returns its armoured export and fingerprint.
    func makeKey(_ uid: String) throws -> (armored: String, fingerprint: String) {
        let home = dir + "/gnupg-" + uid
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        chmod(home, 0o700)
        let script =
            "export GNUPGHOME='\(home)'; gpg --batch --passphrase '' --quick-gen-key '\(uid) <\(uid)@example.invalid>'"
            + " ed25519 sign never >/dev/null 2>&1 && gpg --armor --export > '\(home)/key.asc'"
            + " && gpg --with-colons --list-keys | awk -F: '$1==\"fpr\"{print $10; exit}' > '\(home)/fpr'"
            + "; s=$?; gpgconf --kill all; exit $s"  // the gpg-agent of this GNUPGHOME goes with it
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return (
            try String(contentsOfFile: home + "/key.asc", encoding: .utf8),
            try String(contentsOfFile: home + "/fpr", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        )
    }

    func run(_ raw: OrderedDictionary<String, Value>, check: Bool = false) async throws -> ModuleOutcome {
        let module = try AptKeyModule(
            arguments: ModuleArguments(raw, spec: AptKeyModule.spec, module: AptKeyModule.name))
        return try await module.run(in: ModuleContext(host: "h", connection: LocalConnection(), checkMode: check))
    }

    @Test func makingATestKeyLeavesNoGpgAgent() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try makeKey("agent")
        let left = HostProcesses.remaining(dir)
        #expect(left.isEmpty, "left running: \(left)")
    }

    @Test func keyringGetsDearmouredKeysOnceAndLosesThemAgain() async throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let one = try makeKey("one")
        let two = try makeKey("two")
        let keyring = dir + "/keyrings/test.gpg"
        let addOne: OrderedDictionary<String, Value> = ["data": .string(one.armored), "keyring": .string(keyring)]

        let predicted = try await run(addOne, check: true)
        #expect(predicted.status == .changed, "\(predicted.fields)")
        #expect(!FileManager.default.fileExists(atPath: keyring))

        let first = try await run(addOne)
        #expect(first.status == .changed, "\(first.fields)")
        // Ansible 2.19 reports the 16-digit long id read from the key as id, key_id and fp.
        #expect(first.fields["id"] == .string(String(one.fingerprint.suffix(16))))
        #expect(first.fields["key_id"] == .string(String(one.fingerprint.suffix(16))))
        #expect(first.fields["fp"] == .string(String(one.fingerprint.suffix(16))))
        #expect(first.fields["short_id"] == .string(String(one.fingerprint.suffix(8))))
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: keyring)))
        #expect(!String(decoding: bytes, as: UTF8.self).contains("BEGIN PGP"))
        #expect(try await run(addOne).status == .ok)

        // A second key from a file, with its short id given: appended, then found by id.
        let file = dir + "/two.asc"
        try two.armored.write(toFile: file, atomically: true, encoding: .utf8)
        let addTwo: OrderedDictionary<String, Value> = [
            "file": .string(file), "keyring": .string(keyring), "id": .string("0x" + two.fingerprint.suffix(8)),
        ]
        #expect(try await run(addTwo).status == .changed)
        let again = try await run(addTwo)
        #expect(again.status == .ok)
        #expect(again.fields["before"]?.listValue?.contains(.string(String(one.fingerprint.suffix(16)))) == true)
        #expect(again.fields["before"]?.listValue?.contains(.string(String(two.fingerprint.suffix(16)))) == true)
        #expect(again.fields["id"] == .string("0x" + two.fingerprint.suffix(8)))

        let removeOne: OrderedDictionary<String, Value> = [
            "id": .string(one.fingerprint), "keyring": .string(keyring), "state": "absent",
        ]
        #expect(try await run(removeOne).status == .changed)
        #expect(try await run(removeOne).status == .ok)
        #expect(try await run(addTwo).status == .ok)
        let removeTwo: OrderedDictionary<String, Value> = [
            "id": .string(two.fingerprint), "keyring": .string(keyring), "state": "absent",
        ]
        #expect(try await run(removeTwo).status == .changed)
        #expect(!FileManager.default.fileExists(atPath: keyring))
    }

    @Test func absentNeedsAnIdAndIdMustBeHex() async throws {
        #expect(try await run(["state": "absent", "keyring": "/nonexistent/k.gpg"]).status == .failed)
        #expect(throws: ModuleArgumentError.self) {
            try AptKeyModule(arguments: ModuleArguments(["id": "XYZ"], spec: AptKeyModule.spec, module: "apt_key"))
        }
    }
}
