import CLibSSH
import Foundation

/// Owns one libssh session, its channels and its SFTP subsystem on one dedicated thread.
///
/// libssh sessions are not thread-safe, and their calls block, so nothing else ever touches the
/// session: async callers post jobs into an inbox and wake the thread through a pipe that sits in the
/// same `ssh_event` as the session's socket. The thread connects lazily (and again after the session
/// dropped), runs up to `maxChannels` commands at once as separate channels, and sends keepalives.
final class SSHSessionLoop: @unchecked Sendable {
    /// Work for the session thread.
    enum Job {
        case connect(CheckedContinuation<Void, Error>)
        case command(CommandRequest)
        /// A command's caller gave up: wakes the loop, which kills the command or drops it unstarted.
        case cancel(CommandCancellation)
        case task((Result<SSHSessionContext, ConnectionError>) -> Void)
        /// Drop the session; the next job reconnects.
        case reset(CheckedContinuation<Void, Never>)
        case shutdown(CheckedContinuation<Void, Never>?)
        /// The process is exiting: stop at once and for good (see `SSHSessionLoops`).
        case park
    }

    let endpoint: SSHEndpoint
    private let lock = NSLock()
    private var inbox: [Job] = []
    private var isShutDown = false
    private let wakeRead: Int32
    private let wakeWrite: Int32

    // Session-thread state.
    private var context: SSHSessionContext?
    private var event: OpaquePointer?
    private var active: [SSHChannelCommand] = []
    private var queued: [SSHChannelCommand] = []
    /// Resident shells (one channel each) and the requests waiting for one; see `SSHResidentShell`.
    private let residentEnabled: Bool
    private var residents: [SSHResidentShell] = []
    private var waiting: [CommandRequest] = []
    /// Set when a resident shell failed to start: this session then runs every command on its own channel.
    private var residentBroken = false
    private var lastKeepalive = ContinuousClock.now

    init(endpoint: SSHEndpoint) {
        self.endpoint = endpoint
        residentEnabled = Self.residentShellEnabled(endpoint)
        var fds: [Int32] = [0, 0]
        if capstan_pipe_cloexec(&fds) != 0 { fatalError("pipe() failed: errno \(errno)") }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        (wakeRead, wakeWrite) = (fds[0], fds[1])
        let thread = Thread { [self] in
            run()
            SSHSessionLoops.ended(self)
        }
        thread.name = "ssh:\(endpoint.host)"
        SSHSessionLoops.started(self)
        thread.start()
    }

    /// Posts a job; after shutdown, jobs fail at once.
    func submit(_ job: Job) {
        lock.lock()
        let closed = isShutDown
        if !closed {
            inbox.append(job)
            if case .shutdown = job { isShutDown = true }
            // Under the lock: the thread closes this descriptor under the same lock when it ends.
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
        lock.unlock()
        if closed {
            Self.reject(job, ConnectionError.disconnected(host: endpoint.host, detail: "the connection was closed"))
        }
    }

    private static func reject(_ job: Job, _ error: ConnectionError) {
        switch job {
        case .connect(let continuation): continuation.resume(throwing: error)
        case .command(let request): request.completion(.failure(error))
        case .cancel: break
        case .task(let body): body(.failure(error))
        case .reset(let continuation): continuation.resume()
        case .shutdown(let continuation): continuation?.resume()
        case .park: break
        }
    }

    /// Stops the thread at its next turn, for good: it touches libssh no more and completes no
    /// command. Only for a process that is exiting.
    func park() { submit(.park) }

    private func run() {
        while true {
            lock.lock()
            let jobs = inbox
            inbox = []
            lock.unlock()
            if jobs.contains(where: { if case .park = $0 { return true } else { return false } }) {
                SSHSessionLoops.didPark()
                while true { _ = poll(nil, 0, -1) }
            }
            for job in jobs {
                if case .shutdown(let continuation) = job {
                    settle(within: Self.settleLimit)
                    tearDown(ConnectionError.disconnected(host: endpoint.host, detail: "the connection was closed"))
                    lock.lock()
                    close(wakeRead)
                    close(wakeWrite)
                    lock.unlock()
                    continuation?.resume()
                    return
                }
                handle(job)
            }
            startQueued()
            pump()
        }
    }

    private func handle(_ job: Job) {
        switch job {
        case .connect(let continuation):
            continuation.resume(with: Result { _ = try ensureSession() })
        case .command(let request) where request.cancellation?.isCancelled == true:
            request.completion(.failure(CancellationError()))
        case .cancel:
            dropCancelled()
        case .command(let request):
            if residentEnabled, !residentBroken, request.options.become == nil {
                waiting.append(request)
            } else {
                enqueueOnChannel(request)
            }
        case .task(let body):
            do { body(.success(try ensureSession())) } catch { body(.failure(error as! ConnectionError)) }
        case .reset(let continuation):
            tearDown(ConnectionError.disconnected(host: endpoint.host, detail: "the connection was reset"))
            continuation.resume()
        case .shutdown, .park:
            break
        }
    }

    /// The longest a closing session waits for the kills of the commands still running.
    static let settleLimit = Duration.seconds(3)

    /// Before the session closes: commands still running are killed and their kills run to the end (for
    /// at most `limit`), so that nothing a closed or interrupted run started stays on the host, and
    /// idle resident shells then end on their own, removing their directories.
    private func settle(within limit: Duration) {
        guard context != nil else { return }
        let end = ContinuousClock.now + limit
        dropCancelled()
        waiting.forEach { $0.completion(.failure(CancellationError())) }
        waiting = []
        active.forEach { $0.requestKill() }
        residents.forEach { $0.requestKill() }
        while context != nil, ContinuousClock.now < end,
            !active.isEmpty || !queued.isEmpty || residents.contains(where: { !$0.isFree })
        {
            startQueued()
            pump()
        }
    }

    /// Fails the commands whose callers gave up before they started; running ones are killed by their
    /// own `step`.
    private func dropCancelled() {
        waiting.removeAll { request in
            guard request.cancellation?.isCancelled == true else { return false }
            request.completion(.failure(CancellationError()))
            return true
        }
        queued.removeAll { command in
            guard command.cancellation?.isCancelled == true else { return false }
            command.abandon(CancellationError())
            return true
        }
    }

    /// The connected session, opening it first if needed.
    private func ensureSession() throws -> SSHSessionContext {
        if let context { return context }
        do {
            let session = try SSHSessionOpener(endpoint: endpoint).open()
            let opened = SSHSessionContext(session: session, host: endpoint.host)
            event = ssh_event_new()
            ssh_event_add_session(event, session)
            ssh_event_add_fd(
                event, wakeRead, Int16(POLLIN),
                { fd, _, _ in
                    var buffer = [UInt8](repeating: 0, count: 64)
                    while read(fd, &buffer, buffer.count) > 0 {}
                    return 0
                }, nil)
            context = opened
            lastKeepalive = .now
            SSHSessionLoops.sessionOpened()
            return opened
        } catch let error as ConnectionError {
            throw error
        } catch {
            throw ConnectionError.protocolFailure(host: endpoint.host, detail: "\(error)")
        }
    }

    /// `CAPSTAN_RESIDENT_SHELL=0` or `1` overrides the endpoint's setting (for comparisons).
    static func residentShellEnabled(_ endpoint: SSHEndpoint) -> Bool {
        switch ProcessInfo.processInfo.environment["CAPSTAN_RESIDENT_SHELL"] {
        case "0": return false
        case "1": return true
        default: return endpoint.residentShell
        }
    }

    private func enqueueOnChannel(_ request: CommandRequest, first: Bool = false) {
        do {
            let command = try request.channelCommand()
            if first { queued.insert(command, at: 0) } else { queued.append(command) }
        } catch {
            request.completion(.failure(error))
        }
    }

    private func startQueued() {
        guard !queued.isEmpty || !waiting.isEmpty else { return }
        let session: SSHSessionContext
        do { session = try ensureSession() } catch {
            let failure = error as! ConnectionError
            queued.forEach { $0.abandon(failure) }
            waiting.forEach { $0.completion(.failure(failure)) }
            queued = []
            waiting = []
            return
        }
        startWaiting(session: session.session)
        let limit = max(1, endpoint.maxChannels)
        while !queued.isEmpty {
            // A per-channel command (become, a kill) may take the channel of an idle resident shell.
            if residents.count + active.count >= limit, let idle = residents.firstIndex(where: \.isFree) {
                residents.remove(at: idle).close()
            }
            guard residents.count + active.count < limit else { break }
            let command = queued.removeFirst()
            if command.start(session: session.session) { active.append(command) }
        }
    }

    /// Hands waiting requests to free resident shells, opening new ones while channels are left.
    private func startWaiting(session: OpaquePointer) {
        while !waiting.isEmpty {
            if residentBroken {
                waiting.forEach { enqueueOnChannel($0) }
                waiting = []
                return
            }
            if let shell = residents.first(where: \.isFree) {
                shell.assign(waiting.removeFirst())
                continue
            }
            guard residents.count + active.count < max(1, endpoint.maxChannels) else { return }
            let shell = SSHResidentShell(host: endpoint.host, keptProgramBytes: endpoint.keptProgramBytes)
            if shell.open(session: session) { residents.append(shell) } else { residentBroken = true }
        }
    }

    /// Waits for traffic, a job or the nearest deadline, then lets each running command act.
    private func pump() {
        let now = ContinuousClock.now
        var wait = Duration.seconds(1)
        for deadline in active.compactMap(\.wakeup) + residents.compactMap(\.wakeup) {
            wait = min(wait, max(.zero, deadline - now))
        }
        guard let context, let event else {
            var descriptor = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, Int32(wait / .milliseconds(1)))
            var buffer = [UInt8](repeating: 0, count: 64)
            while read(wakeRead, &buffer, buffer.count) > 0 {}
            return
        }
        _ = ssh_event_dopoll(event, Int32((wait / .milliseconds(1)).rounded(.up)))
        guard ssh_is_connected(context.session) != 0 else {
            tearDown(.disconnected(host: endpoint.host, detail: SSHSessionOptions.lastError(context.session)))
            return
        }
        let after = ContinuousClock.now
        if !serverAnswers(context.session, now: after) {
            let seconds = endpoint.keepaliveInterval * endpoint.keepaliveCountMax
            tearDown(
                .disconnected(
                    host: endpoint.host,
                    detail: "the host stopped answering: nothing received for \(seconds) s, "
                        + "\(endpoint.keepaliveCountMax) keepalives unanswered"))
            return
        }
        var followUps: [SSHChannelCommand] = []
        active.removeAll { command in
            let done = command.step(now: after)
            if done, let next = command.followUp { followUps.append(next) }
            return done
        }
        for shell in residents {
            let outcome = shell.step(now: after)
            if let next = outcome.followUp { followUps.append(next) }
            if let request = outcome.fallback {
                // The shell never started this command: it runs on its own channel, and so do later ones.
                residentBroken = true
                enqueueOnChannel(request, first: true)
            }
        }
        residents.removeAll(where: \.isDead)
        queued.insert(contentsOf: followUps, at: 0)
    }

    /// OpenSSH's ServerAliveInterval and ServerAliveCountMax: once the server has sent nothing for
    /// `keepaliveInterval` seconds, a keepalive that wants a reply goes out each interval; silence for
    /// `keepaliveCountMax` intervals means the host is gone (it may have stopped without closing TCP,
    /// and a command waiting on it would wait for ever). Returns false then.
    private func serverAnswers(_ session: OpaquePointer, now: ContinuousClock.Instant) -> Bool {
        let interval = endpoint.keepaliveInterval
        guard interval > 0 else { return true }
        // What the kernel last received counts, whatever libssh has read of it.
        let silence = capstan_tcp_silence_ms(ssh_get_fd(session))
        guard silence >= 0 else { return true }
        if silence >= interval * max(1, endpoint.keepaliveCountMax) * 1000 { return false }
        if silence >= interval * 1000, now - lastKeepalive >= .seconds(interval) {
            // Sent without blocking: a blocking libssh session would wait for the reply. The first call
            // collects the reply to the previous keepalive, if it came; the second sends a new one when
            // none is outstanding.
            ssh_set_blocking(session, 0)
            _ = ssh_send_keepalive(session)
            _ = ssh_send_keepalive(session)
            ssh_set_blocking(session, 1)
            lastKeepalive = now
        }
        return true
    }

    /// Fails every command and frees the session; a later job reconnects.
    private func tearDown(_ error: ConnectionError) {
        (active + queued).forEach { $0.abandon(error) }
        residents.forEach { $0.abandon(error) }
        waiting.forEach { $0.completion(.failure(error)) }
        active = []
        queued = []
        residents = []
        waiting = []
        if let event, let context { ssh_event_remove_session(event, context.session) }
        if let event { ssh_event_free(event) }
        event = nil
        context?.close()
        context = nil
    }
}
