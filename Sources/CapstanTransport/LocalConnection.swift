import Foundation

/// A `Connection` to this machine (`ansible_connection=local`): commands run as `/bin/sh -c` child
/// processes, each on its own thread (never on Swift's cooperative pool), files are written directly.
public final class LocalConnection: Connection {
    /// The inventory name of the host, for messages (usually `localhost`).
    public let host: String

    /// Creates a local connection. Ignores SIGPIPE process-wide, so a child that closes its stdin
    /// early gives a write error rather than killing Capstan.
    public init(host: String = "localhost") {
        self.host = host
        signal(SIGPIPE, SIG_IGN)
    }

    /// Commands run on the controller.
    public var isLocal: Bool { true }

    /// Nothing to open.
    public func connect() async throws {}

    /// Runs the command as a child process on a thread of its own; cancelling the calling task kills the
    /// child's process group.
    public func run(_ command: String, options: CommandOptions) async throws -> CommandResult {
        let job = try LocalCommand(host: host, command: command, options: options.bounded(host: host, command: command))
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let thread = Thread { continuation.resume(with: Result { try job.run() }) }
                thread.name = "local:\(host)"
                thread.start()
            }
        } onCancel: {
            job.cancel()
        }
    }

    /// Writes a temporary file beside `path` and renames it; with become or an owner, goes through
    /// `cat` and sudo like SSH does.
    public func put(
        _ contents: [UInt8], to path: String, attributes: FileAttributes, options: CommandOptions
    ) async throws {
        let temporary = TemporaryPath.beside(path)
        guard options.become == nil, TemporaryPath.chownSpec(attributes) == nil else {
            try await ExecTransfer(connection: self).put(
                contents, to: path, temporary: temporary, attributes: attributes, options: options)
            return
        }
        try write(path, temporary: temporary, mode: attributes.mode) { writer in
            try contents.withUnsafeBytes { try writer.write($0) }
        }
    }

    /// Writes a temporary file beside `path` with `fill`, gives it `mode`, then renames it into place;
    /// the temporary file is removed on failure.
    private func write(
        _ path: String, temporary: String, mode: UInt32?, fill: (LocalFiles.Writer) throws -> Void
    ) throws {
        do {
            let writer = try LocalFiles.Writer(creating: temporary, mode: 0o600)
            try fill(writer)
            try writer.finish()
            if let mode, chmod(temporary, mode_t(mode)) != 0 { throw LocalFiles.Failure.errno(temporary) }
            guard rename(temporary, path) == 0 else { throw LocalFiles.Failure.errno(path) }
        } catch {
            unlink(temporary)
            throw ConnectionError.transferFailed(host: host, path: path, detail: "\(error)")
        }
    }

    /// Reads the file directly, or with `cat` through sudo when become is set.
    public func get(_ path: String, options: CommandOptions) async throws -> [UInt8] {
        if options.become != nil { return try await ExecTransfer(connection: self).get(path, options: options) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConnectionError.transferFailed(host: host, path: path, detail: "cannot read the file")
        }
        return Array(data)
    }

    /// `put` for a controller file: copied a chunk at a time to a temporary file beside `path`, then
    /// renamed; with become or an owner, through `cat` and sudo a chunk per command.
    public func upload(
        from localPath: String, to path: String, attributes: FileAttributes, options: CommandOptions
    ) async throws {
        let temporary = TemporaryPath.beside(path)
        guard options.become == nil, TemporaryPath.chownSpec(attributes) == nil else {
            try await ExecTransfer(connection: self).upload(
                from: localPath, to: path, temporary: temporary, attributes: attributes, options: options)
            return
        }
        try write(path, temporary: temporary, mode: attributes.mode) { writer in
            try LocalFiles.forEachChunk(of: localPath) { try writer.write($0) }
        }
    }

    /// `get` into a controller file: copied a chunk at a time, or through sudo with become.
    public func download(_ path: String, to localPath: String, options: CommandOptions) async throws {
        if options.become != nil {
            return try await ExecTransfer(connection: self).download(path, to: localPath, options: options)
        }
        do {
            let writer = try LocalFiles.Writer(creating: localPath)
            try LocalFiles.forEachChunk(of: path) { try writer.write($0) }
            try writer.finish()
        } catch {
            throw ConnectionError.transferFailed(host: host, path: path, detail: "\(error)")
        }
    }

    /// Nothing to close.
    public func close() async {}
}
