import Foundation

/// Runs a local program synchronously for test setup (ssh-keygen, useradd) and returns its output.
enum HostCommand {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `arguments[0]` with the rest as arguments; throws on a non-zero exit.
    @discardableResult
    static func run(_ arguments: [String], stdin: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(text)")
        }
        return text
    }

    /// A fresh private temporary directory.
    static func temporaryDirectory(_ label: String) throws -> String {
        let path = NSTemporaryDirectory() + "capstan-\(label)-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Generates an unencrypted (or passphrase-protected) ed25519 key pair at `path` and `path.pub`.
    static func generateKey(at path: String, passphrase: String = "") throws {
        try run(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "capstan-test", "-f", path])
    }

    /// The SHA256 fingerprint of a public key file as ssh-keygen prints it.
    static func fingerprint(ofPublicKey path: String) throws -> String {
        let line = try run(["/usr/bin/ssh-keygen", "-l", "-E", "sha256", "-f", path])
        return String(line.split(separator: " ")[1])
    }
}
