import CapstanTransport
import Foundation

/// Wraps a connection and counts its round trips (`run`, `put`/`upload`, `get`/`download`), to hold the modules to
/// their budget of remote commands.
package final class RecordingConnection: Connection, @unchecked Sendable {
    package let inner: any Connection
    private let lock = NSLock()
    private var counts = (run: 0, put: 0, get: 0)

    package init(_ inner: any Connection) { self.inner = inner }

    package var host: String { inner.host }
    /// All round trips so far.
    package var roundTrips: Int { lock.withLock { counts.run + counts.put + counts.get } }

    package func reset() { lock.withLock { counts = (0, 0, 0) } }

    package func connect() async throws { try await inner.connect() }

    package func run(_ command: String, options: CommandOptions) async throws -> CommandResult {
        lock.withLock { counts.run += 1 }
        return try await inner.run(command, options: options)
    }

    package func put(_ contents: [UInt8], to path: String, attributes: FileAttributes, options: CommandOptions)
        async throws
    {
        lock.withLock { counts.put += 1 }
        try await inner.put(contents, to: path, attributes: attributes, options: options)
    }

    package func get(_ path: String, options: CommandOptions) async throws -> [UInt8] {
        lock.withLock { counts.get += 1 }
        return try await inner.get(path, options: options)
    }

    package func upload(from localPath: String, to path: String, attributes: FileAttributes, options: CommandOptions)
        async throws
    {
        lock.withLock { counts.put += 1 }
        try await inner.upload(from: localPath, to: path, attributes: attributes, options: options)
    }

    package func download(_ path: String, to localPath: String, options: CommandOptions) async throws {
        lock.withLock { counts.get += 1 }
        try await inner.download(path, to: localPath, options: options)
    }

    package func close() async { await inner.close() }

    package func resetSession() async { await inner.resetSession() }

    package var isLocal: Bool { inner.isLocal }
}
