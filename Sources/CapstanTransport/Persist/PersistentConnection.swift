import Foundation
import Synchronization

/// A connection whose SSH session lives in the connection keeper (`PersistServer`), so that it outlives
/// the run: `--ssh-persist SECONDS`, Capstan's ControlPersist. Commands travel to the keeper over its
/// Unix socket; the first run starts the keeper. `put`, `get`, `upload` and `download` (file
/// transfers) open a session of the run's own.
public final class PersistentConnection: Connection {
    public var host: String { direct.host }
    private let endpoint: PersistedEndpoint
    private let direct: SSHConnection
    private let client: PersistClient
    /// The keeper's number for this endpoint's session, once connected.
    private let session = Mutex<UInt32?>(nil)
    /// Set when the keeper could not be used: the run's own session (`direct`) serves instead.
    private let usesOwnSession = Mutex(false)

    /// Nil when the endpoint holds a secret (it then connects itself) or the keeper cannot be reached.
    /// `socketPath` names a keeper that is already running (tests); by default the user's keeper is
    /// used, and started when none answers.
    public init?(endpoint: SSHEndpoint, idleSeconds: Int, socketPath: String? = nil) {
        guard let persisted = PersistedEndpoint(endpoint),
            let client = PersistClient.shared(socketPath: socketPath, idleSeconds: idleSeconds)
        else { return nil }
        self.endpoint = persisted
        self.client = client
        direct = SSHConnection(endpoint: endpoint)
    }

    /// Gets the keeper's session for the endpoint; when the keeper itself is gone (it was just
    /// exiting, idle), the run connects on its own instead.
    public func connect() async throws {
        if session.withLock({ $0 }) != nil || usesOwnSession.withLock({ $0 }) { return }
        do {
            let number = try await client.connect(endpoint)
            session.withLock { $0 = number }
        } catch is KeeperUnavailable {
            usesOwnSession.withLock { $0 = true }
            try await direct.connect()
        }
    }

    /// Runs on the keeper's session. A keeper that goes away during a command is reported as a lost
    /// connection, not retried: the command may have run.
    public func run(_ command: String, options: CommandOptions) async throws -> CommandResult {
        try await connect()
        if usesOwnSession.withLock({ $0 }) { return try await direct.run(command, options: options) }
        let number = session.withLock { $0 } ?? 0
        do {
            // The keeper knows timeouts, not deadlines: a task's deadline goes as what is left of it.
            return try await client.run(
                command, options: options.bounded(host: host, command: command), session: number)
        } catch let gone as KeeperUnavailable {
            throw ConnectionError.disconnected(host: host, detail: "connection keeper: \(gone.reason)")
        }
    }

    public func put(_ contents: [UInt8], to path: String, attributes: FileAttributes, options: CommandOptions)
        async throws
    {
        try await direct.connect()
        try await direct.put(contents, to: path, attributes: attributes, options: options)
    }

    public func get(_ path: String, options: CommandOptions) async throws -> [UInt8] {
        try await direct.connect()
        return try await direct.get(path, options: options)
    }

    public func upload(
        from localPath: String, to path: String, attributes: FileAttributes, options: CommandOptions
    ) async throws {
        try await direct.connect()
        try await direct.upload(from: localPath, to: path, attributes: attributes, options: options)
    }

    public func download(_ path: String, to localPath: String, options: CommandOptions) async throws {
        try await direct.connect()
        try await direct.download(path, to: localPath, options: options)
    }

    /// Leaves the keeper's session open (that is the point); closes the run's own, if any.
    public func close() async { await direct.close() }

    /// Drops the run's own session; the keeper checks its session itself before reuse (a `true`
    /// after 5 s idle), so a rebooted node gets a new one there.
    public func resetSession() async { await direct.resetSession() }
}

/// The run's one socket to the keeper: requests carry ids, a reader thread hands each response to
/// the task waiting for it. A keeper that stops answering does not hang the run: connects, and runs
/// with a timeout, give up at a deadline past what the keeper itself would wait (a watchdog thread
/// checks twice a second); a run without a timeout waits as a direct session would.
final class PersistClient: @unchecked Sendable {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var clients: [String: PersistClient] = [:]

    /// The process's client for the keeper at `socketPath` (default: the user's, started when none
    /// answers); one socket per keeper, shared by every host.
    static func shared(socketPath: String?, idleSeconds: Int) -> PersistClient? {
        lock.withLock {
            let key = socketPath ?? ""
            if let client = clients[key], !client.isClosed { return client }
            let fd = socketPath.map { UnixSocket.connect(to: $0) } ?? PersistKeeper.connect(idleSeconds: idleSeconds)
            guard let fd else { return nil }
            let client = PersistClient(fd: fd)
            clients[key] = client
            return client
        }
    }

    var isClosed: Bool { lock.withLock { closed } }

    private let fd: Int32
    private let lock = NSLock()
    private var nextID: UInt64 = 1
    /// Each request waiting for its answer, and when it gives up, if it does.
    private var waiting:
        [UInt64: (answer: CheckedContinuation<PersistWire.Response, Never>, deadline: ContinuousClock.Instant?)] = [:]
    private var watchdogRunning = false
    private var closed = false
    /// What the keeper may take beyond a request's own limit before the run stops waiting.
    private let grace: Duration

    init(fd: Int32, grace: Duration = .seconds(15)) {
        self.fd = fd
        self.grace = grace
        Thread { [self] in readLoop() }.start()
    }

    /// Asks the keeper for the endpoint's session; its connection errors are rethrown as they are.
    func connect(_ endpoint: PersistedEndpoint) async throws -> UInt32 {
        // The keeper may wait for another run's connect to the endpoint, then check a kept session (5 s).
        let limit = Duration.seconds(2 * endpoint.connectTimeout + 5) + grace
        let id = lock.withLock {
            defer { nextID += 1 }
            return nextID
        }
        switch await send(id: id, limit: limit, .connect(id: id, endpoint: endpoint)) {
        case .connected(_, let session): return session
        case let other: throw Self.error(other)
        }
    }

    /// Runs on the keeper's session; cancelling the calling task asks the keeper to kill the command.
    func run(_ command: String, options: CommandOptions, session: UInt32) async throws -> CommandResult {
        let limit = options.timeout.map { $0 + grace }
        let id = lock.withLock {
            defer { nextID += 1 }
            return nextID
        }
        let response = await withTaskCancellationHandler {
            await send(id: id, limit: limit, .run(id: id, session: session, command: command, options: options))
        } onCancel: {
            lock.withLock { _ = PersistWire.send(PersistWire.Request.cancel(id: id).encoded, to: fd) }
        }
        try Task.checkCancellation()
        switch response {
        case .result(_, let result): return result
        case let other: throw Self.error(other)
        }
    }

    private static func error(_ response: PersistWire.Response) -> Error {
        switch response {
        case .connectionError(_, let error): error
        case .failure(_, let text): KeeperUnavailable(reason: text)
        default: KeeperUnavailable(reason: "unexpected answer")
        }
    }

    /// Sends a request and waits for its answer, or until `limit` has passed.
    private func send(id: UInt64, limit: Duration?, _ request: PersistWire.Request) async -> PersistWire.Response {
        await withCheckedContinuation { (continuation: CheckedContinuation<PersistWire.Response, Never>) in
            let (sent, startWatchdog) = lock.withLock { () -> (Bool, Bool) in
                guard !closed else { return (false, false) }
                waiting[id] = (continuation, limit.map { .now + $0 })
                // Under the lock: frames of concurrent requests must not interleave.
                guard PersistWire.send(request.encoded, to: fd) else {
                    waiting[id] = nil
                    return (false, false)
                }
                guard limit != nil else { return (true, false) }
                defer { watchdogRunning = true }
                return (true, !watchdogRunning)
            }
            if !sent { continuation.resume(returning: .failure(id: 0, "the keeper hung up")) }
            if startWatchdog { Thread { [self] in watchdog() }.start() }
        }
    }

    /// Answers, in the keeper's stead, each request whose deadline has passed; ends with the socket.
    private func watchdog() {
        while true {
            usleep(500_000)
            let now = ContinuousClock.now
            let (late, done) = lock.withLock {
                () -> ([(UInt64, CheckedContinuation<PersistWire.Response, Never>)], Bool) in
                let ids = waiting.filter { $0.value.deadline.map { $0 <= now } ?? false }.map(\.key)
                let late = ids.compactMap { id in waiting.removeValue(forKey: id).map { (id, $0.answer) } }
                return (late, closed)
            }
            for (id, continuation) in late {
                continuation.resume(returning: .failure(id: id, "the keeper did not answer in time"))
            }
            if done { return }
        }
    }

    private func readLoop() {
        while let body = PersistWire.receive(from: fd), let response = PersistWire.Response(decoding: body) {
            lock.withLock { waiting.removeValue(forKey: response.id) }?.answer.resume(returning: response)
        }
        let orphans = lock.withLock {
            closed = true
            defer { waiting = [:] }
            return waiting
        }
        for (id, waiter) in orphans {
            waiter.answer.resume(returning: .failure(id: id, "the keeper hung up"))
        }
    }
}

/// Where the keeper listens and how it is started.
public enum PersistKeeper {
    /// The keeper's socket in `runtimeDirectory`.
    public static var socketPath: String? {
        runtimeDirectory.map { $0 + "/keeper-v\(PersistWire.version).sock" }
    }

    /// Capstan's runtime folder (the keeper's socket, the inventory locks): `$CAPSTAN_PERSIST_DIR`,
    /// `$XDG_RUNTIME_DIR/capstan` or `/tmp/capstan-<uid>`, made 0700 and checked to be the user's own.
    public static var runtimeDirectory: String? {
        let environment = ProcessInfo.processInfo.environment
        let base =
            environment["CAPSTAN_PERSIST_DIR"]
            ?? environment["XDG_RUNTIME_DIR"].map { $0 + "/capstan" } ?? "/tmp/capstan-\(getuid())"
        mkdir(base, 0o700)
        var info = stat()
        guard lstat(base, &info) == 0, info.st_uid == getuid(), info.st_mode & 0o170000 == 0o040000,
            info.st_mode & 0o077 == 0
        else { return nil }
        return base
    }

    /// A socket to a running keeper, starting one (this executable, `connection-keeper`) if needed.
    static func connect(idleSeconds: Int) -> Int32? {
        guard let path = socketPath else { return nil }
        if let fd = UnixSocket.connect(to: path) { return fd }
        guard spawn(socketPath: path, idleSeconds: idleSeconds) else { return nil }
        // It binds within a few hundred milliseconds; give up after 5 s.
        for _ in 0..<250 {
            usleep(20_000)
            if let fd = UnixSocket.connect(to: path) { return fd }
        }
        return nil
    }

    /// Starts this executable as the keeper, stdio on /dev/null, in a process group of its own (so a
    /// Ctrl-C in the terminal of the run that started it does not end it). Never waited for: it
    /// outlives the run.
    private static func spawn(socketPath: String, idleSeconds: Int) -> Bool {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return false }
        let executable = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let arguments = ["connection-keeper", "--socket", socketPath, "--idle", String(idleSeconds)]
        return (try? PosixSpawn.start(executable, arguments)) != nil
    }
}

/// The keeper hung up, or answered something other than an SSH outcome.
struct KeeperUnavailable: Error {
    var reason: String
}
