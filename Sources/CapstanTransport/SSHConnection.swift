import Synchronization

/// A `Connection` over one libssh session, kept open for the whole run and owned by its own thread.
///
/// Connects lazily on first use (or on `connect()`), runs each command through a resident shell
/// (`SSHResidentShell`, one command at a time per shell) or, for become and when resident shells are
/// off, on a new channel (up to `endpoint.maxChannels` channels at once), transfers files over SFTP,
/// falling back to `cat` over exec channels when the server has no SFTP subsystem or when the transfer
/// needs become.
public final class SSHConnection: Connection {
    /// The endpoint's host, as given.
    public let host: String
    /// How this connection was configured.
    public let endpoint: SSHEndpoint
    private let loop: SSHSessionLoop
    /// Set once a connect succeeded: later calls return at once instead of a hop to the session thread
    /// (every task calls `connect()`); a session that dropped since reconnects on its next command.
    private let connected = Atomic<Bool>(false)

    /// Creates the connection and its session thread; nothing is sent until the first call.
    public init(endpoint: SSHEndpoint) {
        self.host = endpoint.host
        self.endpoint = endpoint
        self.loop = SSHSessionLoop(endpoint: endpoint)
    }

    deinit {
        loop.submit(.shutdown(nil))
    }

    /// Connects, verifies the host key and authenticates now rather than on the first command.
    public func connect() async throws {
        if connected.load(ordering: .acquiring) { return }
        try await withCheckedThrowingContinuation { loop.submit(.connect($0)) }
        connected.store(true, ordering: .releasing)
    }

    /// Runs the command through one of the session's resident shells (`endpoint.residentShell`), or on a
    /// new channel of its own for become and when resident shells are off or failed (queued while
    /// `maxChannels` are busy). Cancelling the calling task kills the remote command's process group and
    /// throws `CancellationError`.
    public func run(_ command: String, options: CommandOptions) async throws -> CommandResult {
        let options = try options.bounded(host: host, command: command)
        let cancellation = CommandCancellation()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                loop.submit(
                    .command(
                        CommandRequest(
                            host: host, command: command, options: options, cancellation: cancellation,
                            completion: { continuation.resume(with: $0) })))
            }
        } onCancel: {
            cancel(cancellation)
        }
    }

    /// `run` for callers on threads of their own (the connection keeper): `completion` is called on
    /// the session thread.
    /// `cancellation`, once set and passed to `cancel`, kills the command as a cancelled task would.
    func run(
        _ command: String, options: CommandOptions, cancellation: CommandCancellation? = nil,
        completion: @escaping (Result<CommandResult, Error>) -> Void
    ) {
        loop.submit(
            .command(
                CommandRequest(
                    host: host, command: command, options: options, cancellation: cancellation,
                    completion: completion)))
    }

    /// Kills (or never starts) the command run with `cancellation`.
    func cancel(_ cancellation: CommandCancellation) {
        cancellation.cancel()
        loop.submit(.cancel(cancellation))
    }

    /// Fails running commands, closes the session and ends its thread.
    public func close() async {
        await withCheckedContinuation { loop.submit(.shutdown($0)) }
    }

    /// Drops the session (its commands fail); the next command connects again.
    public func resetSession() async {
        await withCheckedContinuation { loop.submit(.reset($0)) }
    }

    /// Runs `body` on the session thread with the connected session.
    func onSession<T: Sendable>(_ body: @escaping (SSHSessionContext) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            loop.submit(
                .task { context in
                    continuation.resume(with: Result { try body(context.get()) })
                })
        }
    }
}
