import Foundation

@testable import CapstanTransport

/// Runs a local program synchronously for test setup (ssh-keygen, useradd) and returns its output.
package enum HostCommand {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String

        package init(description: String) { self.description = description }
    }

    /// Runs `arguments[0]` with the rest as arguments; throws on a non-zero exit. Output goes through a
    /// file, not a pipe: daemons the command leaves running (the lab's nodes) would hold a pipe open.
    @discardableResult
    package static func run(_ arguments: [String], stdin: String? = nil) throws -> String {
        let scratch = TestScratch.directory + "/capstan-cmd-" + UUID().uuidString
        defer {
            unlink(scratch + ".in")
            unlink(scratch + ".out")
        }
        try (stdin ?? "").write(toFile: scratch + ".in", atomically: false, encoding: .utf8)
        let input = open(scratch + ".in", O_RDONLY | O_CLOEXEC)
        let output = open(scratch + ".out", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        let pid: pid_t
        do {
            defer {
                close(input)
                close(output)
            }
            pid = try PosixSpawn.start(
                arguments[0], Array(arguments.dropFirst()), stdin: input, stdout: output, stderr: output)
        }
        let (status, signal) = PosixSpawn.wait(pid)
        let text = (try? String(contentsOfFile: scratch + ".out", encoding: .utf8)) ?? ""
        guard status == 0 else {
            let how = status.map { "exited \($0)" } ?? "killed by signal \(signal ?? 0)"
            throw Failure(description: "\(arguments.joined(separator: " ")) \(how): \(text)")
        }
        return text
    }

    /// A fresh private temporary directory.
    package static func temporaryDirectory(_ label: String) throws -> String {
        let path = NSTemporaryDirectory() + "capstan-\(label)-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Generates an unencrypted (or passphrase-protected) ed25519 key pair at `path` and `path.pub`.
    package static func generateKey(at path: String, passphrase: String = "") throws {
        try run(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "capstan-test", "-f", path])
    }

    /// The SHA256 fingerprint of a public key file as ssh-keygen prints it.
    package static func fingerprint(ofPublicKey path: String) throws -> String {
        let line = try run(["/usr/bin/ssh-keygen", "-l", "-E", "sha256", "-f", path])
        return String(line.split(separator: " ")[1])
    }
}
