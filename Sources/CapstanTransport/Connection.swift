import CapstanBasics

/// The seam between the engine and a managed host: connect, run a command, put a file, get a file
/// (from memory, or streamed from and to controller files), close.
///
/// Implementations: `SSHConnection` (libssh, one session per host), `LocalConnection`
/// (`ansible_connection=local`). Every method may be called from any task; implementations serialise
/// what must be serialised themselves.
public protocol Connection: AnyObject, Sendable {
    /// The host this connection talks to, as the inventory names it; used in messages.
    var host: String { get }

    /// True when commands run on the controller itself (`ansible_connection=local`): `reboot` refuses it.
    var isLocal: Bool { get }

    /// Opens the connection (TCP, key exchange, host key check, authentication for SSH).
    /// Calling it again after success does nothing.
    func connect() async throws

    /// Runs `command` through `/bin/sh -c` on the host and returns what it printed and how it ended.
    /// A non-zero exit status is a result, not an error; errors are reserved for transport failures,
    /// timeouts and become failures (`ConnectionError`).
    func run(_ command: String, options: CommandOptions) async throws -> CommandResult

    /// Writes `contents` to `path` atomically (temporary file in the same directory, then rename),
    /// then applies `attributes`.
    func put(_ contents: [UInt8], to path: String, attributes: FileAttributes, options: CommandOptions) async throws

    /// Reads the whole file at `path`.
    func get(_ path: String, options: CommandOptions) async throws -> [UInt8]

    /// `put` for the controller file at `localPath`, read a chunk at a time as it is sent: memory
    /// stays at a chunk whatever the file's size.
    func upload(from localPath: String, to path: String, attributes: FileAttributes, options: CommandOptions)
        async throws

    /// Writes the file at `path` into the controller file at `localPath` (created or truncated), a
    /// chunk at a time.
    func download(_ path: String, to localPath: String, options: CommandOptions) async throws

    /// Closes the connection and frees its resources. Commands still running fail.
    func close() async

    /// Drops the session, if any, so that the next command connects afresh, as Ansible's connection
    /// `reset()` does: for `wait_for_connection` and `reboot`, whose host may have rebooted or whose
    /// session may hang. Commands still running fail; the connection stays usable.
    func resetSession() async
}

extension Connection {
    /// Connections reach another machine unless they say otherwise.
    public var isLocal: Bool { false }

    /// Connections without a session of their own have nothing to drop.
    public func resetSession() async {}

    /// Runs `command` with default options (no timeout, no stdin, no become).
    public func run(_ command: String) async throws -> CommandResult {
        try await run(command, options: CommandOptions())
    }

    /// Writes `contents` to `path` with default attributes and options.
    public func put(_ contents: [UInt8], to path: String) async throws {
        try await put(contents, to: path, attributes: FileAttributes(), options: CommandOptions())
    }

    /// Reads the file at `path` with default options.
    public func get(_ path: String) async throws -> [UInt8] {
        try await get(path, options: CommandOptions())
    }

    /// Uploads through commands, a chunk per command (`ExecTransfer`); connections with a better way
    /// (SFTP, the local file system) implement it themselves.
    public func upload(
        from localPath: String, to path: String, attributes: FileAttributes, options: CommandOptions
    ) async throws {
        try await ExecTransfer(connection: self).upload(
            from: localPath, to: path, temporary: TemporaryPath.beside(path), attributes: attributes, options: options)
    }

    /// Downloads through commands, a chunk per command (`ExecTransfer`).
    public func download(_ path: String, to localPath: String, options: CommandOptions) async throws {
        try await ExecTransfer(connection: self).download(path, to: localPath, options: options)
    }
}

/// How one command is run: deadline, input, environment and privilege escalation.
public struct CommandOptions: Sendable {
    /// The longest the command may run; past it the command is killed and `commandTimeout` is thrown.
    /// `nil` waits for as long as the command runs.
    public var timeout: Duration?
    /// No command runs past this moment (a task's `timeout:`): one still running then is killed like one
    /// past its `timeout`, and one asked for after it fails at once.
    public var deadline: ContinuousClock.Instant?
    /// Bytes written to the command's standard input, which is then closed.
    public var stdin: [UInt8]
    /// Variables set for the command (names must be shell identifiers). They travel on the command's
    /// standard input or in the environment of its process, never in a command line.
    public var environment: [String: String]
    /// Run as another user through sudo.
    public var become: Become?
    /// The command is one of Capstan's own programs, which may run in a subshell of a long-lived shell
    /// instead of a fresh `/bin/sh -c` (one exec fewer on the node): it then shares that shell's `$$`
    /// and must not rely on a pristine shell. Never set for what users write (command, shell, script).
    public var subshell: Bool

    /// Creates options; every field defaults to "nothing special".
    public init(
        timeout: Duration? = nil, stdin: [UInt8] = [], environment: [String: String] = [:], become: Become? = nil,
        subshell: Bool = false
    ) {
        self.timeout = timeout
        self.stdin = stdin
        self.environment = environment
        self.become = become
        self.subshell = subshell
    }

    /// The same options with `deadline` set (when one is given).
    public func until(_ deadline: ContinuousClock.Instant?) -> CommandOptions {
        var options = self
        if let deadline { options.deadline = deadline }
        return options
    }

    /// The options a transport runs `command` with: `timeout` cut to what is left before `deadline`.
    /// Throws the command's timeout at once when the deadline has passed.
    public func bounded(host: String, command: String) throws -> CommandOptions {
        guard let deadline else { return self }
        let left = deadline - .now
        guard left > .zero else {
            throw ConnectionError.commandTimeout(host: host, command: command, seconds: 0)
        }
        var bounded = self
        bounded.timeout = min(timeout ?? left, left)
        bounded.deadline = nil
        return bounded
    }
}

/// Privilege escalation through sudo (Ansible's `become`, `become_user`, `become_password`).
public struct Become: Sendable, Hashable {
    /// The user to become (`become_user`), root by default.
    public var user: String
    /// The sudo password (`ansible_become_password`); without one, sudo runs with `-n` and fails
    /// with `becomePasswordRequired` if it would need one.
    public var password: Secret?

    /// Creates a become setting.
    public init(user: String = "root", password: Secret? = nil) {
        self.user = user
        self.password = password
    }
}

/// Mode and ownership applied to a file written by `put`.
public struct FileAttributes: Sendable, Hashable {
    /// Permission bits, e.g. `0o644`; `nil` leaves the default (0600 for the temporary file).
    public var mode: UInt32?
    /// Owner name or number; `nil` leaves the connecting (or become) user.
    public var owner: String?
    /// Group name or number; `nil` leaves the owner's default group.
    public var group: String?

    /// Creates attributes; `nil` fields are left alone.
    public init(mode: UInt32? = nil, owner: String? = nil, group: String? = nil) {
        self.mode = mode
        self.owner = owner
        self.group = group
    }
}
