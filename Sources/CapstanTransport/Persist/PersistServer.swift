import Foundation

/// The connection keeper: holds SSH sessions open between runs, as OpenSSH's ControlPersist does for
/// Ansible, so that a rerun skips TCP, key exchange, authentication and the shell's start on every host.
/// It listens on a Unix socket in a 0700 directory of the user's; each request names its endpoint, and
/// the keeper runs it on that endpoint's session, opening it on first use. It exits once no run has
/// used it for `idleSeconds`, closing every session. Started by `PersistentConnection` as
/// `capstan connection-keeper` (a process of its own, so that it outlives the run).
public final class PersistServer: @unchecked Sendable {
    private let socketPath: String
    private let idleSeconds: Int
    private let lock = NSLock()
    private var connections: [UInt32: SSHConnection] = [:]
    private var numbers: [PersistedEndpoint: UInt32] = [:]
    private var connecting: [PersistedEndpoint: Task<UInt32, Error>] = [:]
    private var nextNumber: UInt32 = 0
    /// When each session last ran something: one idle longer than `checkAfter` is checked before reuse.
    private var lastRun: [UInt32: ContinuousClock.Instant] = [:]
    private let checkAfter = Duration.seconds(5)
    private var clients = 0
    private var lastUse = ContinuousClock.now
    private var listener: Int32 = -1
    /// The accept loop's thread and one per client: `serve` returns only once every one has ended.
    private let threads = DispatchGroup()
    /// The clients' sockets, shut down by `stop` to end their threads' reads.
    private var clientSockets: Set<Int32> = []
    private var stopRequested = false

    /// How many SSH sessions the keeper holds.
    public var sessionCount: Int { lock.withLock { connections.count } }

    public init(socketPath: String, idleSeconds: Int) {
        self.socketPath = socketPath
        self.idleSeconds = idleSeconds
    }

    /// Binds the socket (replacing a stale one nobody answers on); false when another keeper already
    /// listens there or the socket cannot be made.
    public func bind() -> Bool {
        if let fd = UnixSocket.connect(to: socketPath) {
            close(fd)
            return false
        }
        unlink(socketPath)
        guard let fd = UnixSocket.listen(at: socketPath) else { return false }
        listener = fd
        return true
    }

    /// Serves until idle or stopped; then ends its threads, closes the sessions and removes the socket.
    public func serve() async {
        start { [self] in acceptLoop() }
        while true {
            try? await Task.sleep(for: .milliseconds(200))
            let done = lock.withLock {
                // From here on the accept loop turns new clients away.
                stopRequested = stopRequested || (clients == 0 && ContinuousClock.now - lastUse > .seconds(idleSeconds))
                return stopRequested
            }
            if done { break }
        }
        unlink(socketPath)
        // Wakes the accept loop and every client's read; each thread then ends on its own.
        let sockets = lock.withLock { [listener] + clientSockets }
        for fd in sockets { shutdown(fd, Int32(SHUT_RDWR)) }
        await withCheckedContinuation { (ended: CheckedContinuation<Void, Never>) in
            threads.notify(queue: .global()) { ended.resume() }
        }
        close(listener)
        let open = lock.withLock {
            defer { connections = [:] }
            return Array(connections.values)
        }
        for connection in open { await connection.close() }
    }

    /// Ends `serve` as if the keeper had gone idle: clients are hung up on, commands in flight cancelled.
    public func stop() {
        lock.withLock { stopRequested = true }
    }

    /// Runs `body` on a thread of its own that `serve` waits for.
    private func start(_ body: @escaping @Sendable () -> Void) {
        threads.enter()
        Thread { [threads] in
            body()
            threads.leave()
        }.start()
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            let stopping = lock.withLock {
                guard !stopRequested else { return true }
                clients += 1
                clientSockets.insert(fd)
                lastUse = .now
                return false
            }
            if stopping {
                close(fd)
                return
            }
            start { [self] in serveClient(fd) }
        }
    }

    /// Reads requests until the run hangs up; a run goes straight to its session's thread, whose
    /// completion writes the answer (no hop through the task pool), a connect waits in a task.
    private func serveClient(_ fd: Int32) {
        let writeLock = NSLock()
        let group = DispatchGroup()
        let reply: @Sendable (PersistWire.Response) -> Void = { response in
            writeLock.withLock { _ = PersistWire.send(response.encoded, to: fd) }
            group.leave()
        }
        // The commands this run has going, so that it can cancel them, and so that they are killed
        // when the run goes away without a word (killed, its machine gone).
        let running = RunningCommands()
        while let body = PersistWire.receive(from: fd) {
            guard let request = PersistWire.Request(decoding: body) else { break }
            if case .cancel(let id) = request {
                running.cancel(id)
                continue
            }
            group.enter()
            lock.withLock { lastUse = .now }
            switch request {
            case .connect(let id, let endpoint):
                Task {
                    do {
                        reply(.connected(id: id, session: try await self.session(for: endpoint)))
                    } catch let error as ConnectionError {
                        reply(.connectionError(id: id, error))
                    } catch {
                        reply(.failure(id: id, "\(error)"))
                    }
                }
            case .run(let id, let session, let command, let options):
                guard
                    let connection = lock.withLock({ () -> SSHConnection? in
                        lastRun[session] = .now
                        return connections[session]
                    })
                else {
                    reply(.failure(id: id, "no session \(session) in the keeper"))
                    continue
                }
                let cancellation = running.add(id, connection)
                connection.run(command, options: options, cancellation: cancellation) { result in
                    running.remove(id)
                    switch result {
                    case .success(let result): reply(.result(id: id, result))
                    case .failure(let error as ConnectionError):
                        switch error {
                        case .disconnected, .channelFailure, .protocolFailure: self.forget(session)
                        default: break
                        }
                        reply(.connectionError(id: id, error))
                    case .failure(let error): reply(.failure(id: id, "\(error)"))
                    }
                }
            case .cancel:
                break
            }
        }
        running.cancelAll()
        group.wait()
        lock.withLock {
            clients -= 1
            clientSockets.remove(fd)
            lastUse = .now
        }
        close(fd)
    }

    /// The endpoint's session number, connected. A kept session idle for more than `checkAfter` must
    /// still answer a `true` within 5 s, else it is replaced (the node may have rebooted since); one in
    /// use moments ago is trusted, and if it died all the same, its first command reports the host
    /// unreachable and the next run reconnects.
    private func session(for endpoint: PersistedEndpoint) async throws -> UInt32 {
        let kept = lock.withLock { () -> (number: UInt32, connection: SSHConnection, recent: Bool)? in
            guard let number = numbers[endpoint], let connection = connections[number] else { return nil }
            return (number, connection, lastRun[number].map { ContinuousClock.now - $0 < checkAfter } ?? false)
        }
        if let (number, existing, recent) = kept {
            if recent { return number }
            let alive = try? await existing.run("true", options: CommandOptions(timeout: .seconds(5), subshell: true))
            if alive?.exitStatus == 0 { return number }
            forget(number)
            await existing.close()
        }
        let task = lock.withLock {
            if let pending = connecting[endpoint] { return pending }
            let task = Task<UInt32, Error> {
                var sshEndpoint = endpoint.sshEndpoint
                // The keeper's sessions outlive runs, and reruns send the same programs again.
                sshEndpoint.keptProgramBytes = SSHEndpoint.keeperProgramBytes
                let connection = SSHConnection(endpoint: sshEndpoint)
                defer { self.lock.withLock { self.connecting[endpoint] = nil } }
                try await connection.connect()
                return self.lock.withLock {
                    self.nextNumber += 1
                    self.connections[self.nextNumber] = connection
                    self.lastRun[self.nextNumber] = .now
                    self.numbers[endpoint] = self.nextNumber
                    return self.nextNumber
                }
            }
            connecting[endpoint] = task
            return task
        }
        return try await task.value
    }

    private func forget(_ number: UInt32) {
        lock.withLock {
            connections[number] = nil
            lastRun[number] = nil
            numbers = numbers.filter { $0.value != number }
        }
    }
}

/// A run's commands in flight in the keeper, by request id.
final class RunningCommands: @unchecked Sendable {
    private let lock = NSLock()
    private var commands: [UInt64: (CommandCancellation, SSHConnection)] = [:]

    /// Registers request `id` on `connection`; returns the cancellation to run it with.
    func add(_ id: UInt64, _ connection: SSHConnection) -> CommandCancellation {
        let cancellation = CommandCancellation()
        lock.withLock { commands[id] = (cancellation, connection) }
        return cancellation
    }

    func remove(_ id: UInt64) { lock.withLock { _ = commands.removeValue(forKey: id) } }

    /// Kills request `id`'s command, if it still runs.
    func cancel(_ id: UInt64) {
        if let (cancellation, connection) = lock.withLock({ commands[id] }) { connection.cancel(cancellation) }
    }

    /// Kills every command still running (the run hung up).
    func cancelAll() {
        for (cancellation, connection) in lock.withLock({ Array(commands.values) }) { connection.cancel(cancellation) }
    }
}
