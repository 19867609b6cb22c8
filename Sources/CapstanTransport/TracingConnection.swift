import CapstanBasics

/// Wraps a connection and logs every remote operation with its duration (`CAPSTAN_TRACE=1`).
public final class TracingConnection: Connection {
    private let inner: any Connection
    /// The wrapped connection's host.
    public var host: String { inner.host }
    /// Whether the wrapped connection is local.
    public var isLocal: Bool { inner.isLocal }

    /// Wraps `inner`.
    public init(_ inner: any Connection) { self.inner = inner }

    /// Connects and logs how long it took.
    public func connect() async throws {
        let begin = ContinuousClock.now
        try await inner.connect()
        let took = ContinuousClock.now - begin
        if took > .milliseconds(1) { RunTrace.log("\(host) connect \(RunTrace.milliseconds(took))ms") }
    }

    /// Runs the command and logs it (its first line, shortened) with its duration.
    public func run(_ command: String, options: CommandOptions) async throws -> CommandResult {
        RunTrace.countRemoteCall()
        let begin = ContinuousClock.now
        defer {
            let head = RunTrace.verbose ? "\n" + command : String(command.prefix(while: { $0 != "\n" }).prefix(60))
            RunTrace.log(
                "\(host) run \(RunTrace.milliseconds(ContinuousClock.now - begin))ms \(command.utf8.count)B stdin=\(options.stdin.count)B: \(head)"
            )
        }
        return try await inner.run(command, options: options)
    }

    /// Puts the file and logs its size and duration.
    public func put(_ contents: [UInt8], to path: String, attributes: FileAttributes, options: CommandOptions)
        async throws
    {
        RunTrace.countRemoteCall()
        let begin = ContinuousClock.now
        defer {
            RunTrace.log(
                "\(host) put \(RunTrace.milliseconds(ContinuousClock.now - begin))ms \(contents.count)B \(path)")
        }
        try await inner.put(contents, to: path, attributes: attributes, options: options)
    }

    /// Gets the file and logs its duration.
    public func get(_ path: String, options: CommandOptions) async throws -> [UInt8] {
        RunTrace.countRemoteCall()
        let begin = ContinuousClock.now
        defer { RunTrace.log("\(host) get \(RunTrace.milliseconds(ContinuousClock.now - begin))ms \(path)") }
        return try await inner.get(path, options: options)
    }

    /// Uploads the file and logs its duration.
    public func upload(
        from localPath: String, to path: String, attributes: FileAttributes, options: CommandOptions
    ) async throws {
        RunTrace.countRemoteCall()
        let begin = ContinuousClock.now
        defer { RunTrace.log("\(host) upload \(RunTrace.milliseconds(ContinuousClock.now - begin))ms \(path)") }
        try await inner.upload(from: localPath, to: path, attributes: attributes, options: options)
    }

    /// Downloads the file and logs its duration.
    public func download(_ path: String, to localPath: String, options: CommandOptions) async throws {
        RunTrace.countRemoteCall()
        let begin = ContinuousClock.now
        defer { RunTrace.log("\(host) download \(RunTrace.milliseconds(ContinuousClock.now - begin))ms \(path)") }
        try await inner.download(path, to: localPath, options: options)
    }

    /// Closes the wrapped connection.
    public func close() async { await inner.close() }

    /// Drops the wrapped connection's session.
    public func resetSession() async { await inner.resetSession() }
}
