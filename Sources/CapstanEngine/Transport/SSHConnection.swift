/// A `Connection` over one libssh session, kept open for the whole run and owned by its own thread.
///
/// Connects lazily on first use (or on `connect()`), runs each command on a new channel (up to
/// `endpoint.maxChannels` at once), transfers files over SFTP, falling back to `cat` over exec channels
/// when the server has no SFTP subsystem or when the transfer needs become.
public final class SSHConnection: Connection {
    /// The endpoint's host, as given.
    public let host: String
    /// How this connection was configured.
    public let endpoint: SSHEndpoint
    private let loop: SSHSessionLoop

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
        try await withCheckedThrowingContinuation { loop.submit(.connect($0)) }
    }

    /// Runs the command on a new channel of the session (queued while `maxChannels` are busy).
    public func run(_ command: String, options: CommandOptions) async throws -> CommandResult {
        try await withCheckedThrowingContinuation { continuation in
            do {
                let job = try SSHChannelCommand(
                    host: host, command: command, options: options, completion: { continuation.resume(with: $0) })
                loop.submit(.command(job))
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// Fails running commands, closes the session and ends its thread.
    public func close() async {
        await withCheckedContinuation { loop.submit(.shutdown($0)) }
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
