import CapstanEngine
import Foundation

/// Runs programs with the local `/bin/sh`, as `ansible_connection=local` does: a test double for the
/// file modules until `LocalConnection` lands on main (file modules only run `run`).
final class ShellConnection: Connection, @unchecked Sendable {
    let host = "localhost"

    func connect() async throws {}

    func run(_ command: String, options: CommandOptions) async throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        let start = ContinuousClock.now
        try process.run()
        let stdin = options.stdin
        let writer = Thread {
            input.fileHandleForWriting.write(Data(stdin))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        final class Box: @unchecked Sendable { var data = Data() }
        let err = Box()
        let done = DispatchSemaphore(value: 0)
        let reader = Thread {
            err.data = errors.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        reader.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        done.wait()
        return CommandResult(
            exitStatus: process.terminationStatus, signal: nil, stdout: Array(out), stderr: Array(err.data),
            duration: ContinuousClock.now - start)
    }

    func put(_ contents: [UInt8], to path: String, attributes: FileAttributes, options: CommandOptions) async throws {
        try Data(contents).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    func get(_ path: String, options: CommandOptions) async throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func close() async {}
}

/// Wraps a connection and counts its round trips (`run`, `put`, `get`), to hold the modules to
/// their budget of remote commands.
final class RecordingConnection: Connection, @unchecked Sendable {
    let inner: any Connection
    private let lock = NSLock()
    private var counts = (run: 0, put: 0, get: 0)

    init(_ inner: any Connection) { self.inner = inner }

    var host: String { inner.host }
    /// All round trips so far.
    var roundTrips: Int { lock.withLock { counts.run + counts.put + counts.get } }

    func reset() { lock.withLock { counts = (0, 0, 0) } }

    func connect() async throws { try await inner.connect() }

    func run(_ command: String, options: CommandOptions) async throws -> CommandResult {
        lock.withLock { counts.run += 1 }
        return try await inner.run(command, options: options)
    }

    func put(_ contents: [UInt8], to path: String, attributes: FileAttributes, options: CommandOptions) async throws {
        lock.withLock { counts.put += 1 }
        try await inner.put(contents, to: path, attributes: attributes, options: options)
    }

    func get(_ path: String, options: CommandOptions) async throws -> [UInt8] {
        lock.withLock { counts.get += 1 }
        return try await inner.get(path, options: options)
    }

    func close() async { await inner.close() }
}
