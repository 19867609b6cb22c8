import CLibSSH

/// One remote command on its own channel: opens it, feeds stdin (and the sudo password when sudo asks),
/// collects stdout and stderr as they arrive through channel callbacks, and finishes on channel close,
/// on its deadline, or on a become failure. Lives on its session's thread only.
final class SSHChannelCommand {
    private let host: String
    /// The user's command, for timeout messages.
    private let display: String
    private let commandLine: String
    /// The program, written to stdin ahead of the command's own input (see `StdinProgram`).
    private let preamble: [UInt8]
    private let options: CommandOptions
    /// The caller's cancellation: once set, the command is killed as after its timeout.
    let cancellation: CommandCancellation?
    private var become: BecomeSession?
    private let completion: (Result<CommandResult, Error>) -> Void
    private let startedAt = ContinuousClock.now
    /// When the command is killed; `nil` for no limit.
    private let deadline: ContinuousClock.Instant?
    /// The remote command's process group, from the line `announcingPID` prints.
    private var remotePID: Int?
    private var pidLine: [UInt8]? = []
    /// A command the session must run next: the `kill` of this command after its timeout.
    private(set) var followUp: SSHChannelCommand?
    private var reported = false
    /// Set when the session closes with the command still running: killed as if cancelled.
    private var killRequested = false
    /// A kill or removal sent after another command (see `cleanup`).
    private let isCleanup: Bool
    /// When `step` first saw the cancellation (it waits briefly for the PID line).
    private var cancelSeenAt: ContinuousClock.Instant?

    private var channel: OpaquePointer?
    private var callbacks: SSHChannelCallbacks?
    private var stdout: [UInt8] = []
    private var stderr: [UInt8] = []
    private var exitStatus: Int32?
    private var exitSignal: String?
    private var remoteClosed = false
    private var stdinSent = false
    private var becomeEvents: [BecomeSession.Action] = []

    init(
        host: String, command: String, options: CommandOptions, cancellation: CommandCancellation? = nil,
        isCleanup: Bool = false, completion: @escaping (Result<CommandResult, Error>) -> Void
    ) throws {
        self.host = host
        self.isCleanup = isCleanup
        display = command
        self.options = options
        self.cancellation = cancellation
        self.completion = completion
        let (program, session) = try ShellCommand.program(command, options: options)
        become = session
        commandLine = ShellCommand.announcingPID(program.commandLine)
        preamble = program.preamble
        deadline = options.timeout.map { ContinuousClock.now + $0 }
    }

    /// Opens the channel and starts the command (two round trips, blocking on the session thread).
    /// Returns false if it failed, having already reported the failure.
    func start(session: OpaquePointer) -> Bool {
        guard let channel = ssh_channel_new(session) else {
            return fail(ConnectionError.channelFailure(host: host, detail: SSHSessionOptions.lastError(session)))
        }
        self.channel = channel
        callbacks = SSHChannelCallbacks(on: channel, owner: self)
        guard ssh_channel_open_session(channel) == SSH_OK, ssh_channel_request_exec(channel, commandLine) == SSH_OK
        else {
            return fail(ConnectionError.channelFailure(host: host, detail: SSHSessionOptions.lastError(session)))
        }
        if become?.password == nil { sendStdin(prefix: []) }
        return true
    }

    /// The next moment `step` must run even if no traffic arrives.
    var wakeup: ContinuousClock.Instant? { cancelSeenAt.map { $0 + .seconds(2) } ?? deadline }

    /// Acts on what the callbacks recorded and on the deadline. Returns true when the command is over
    /// (its continuation resumed and its channel freed).
    func step(now: ContinuousClock.Instant) -> Bool {
        for action in becomeEvents {
            switch action {
            case .sendPassword:
                sendStdin(prefix: Array(((become?.password?.value ?? "") + "\n").utf8))
            case .started:
                if let held = become?.takeHeldStderr() { stderr = held + stderr }
                sendStdin(prefix: [])
            case .passwordRejected:
                return fail(ConnectionError.becomePasswordWrong(host: host, user: options.become?.user ?? "root"))
            case .none:
                break
            }
        }
        becomeEvents = []
        if let channel, !remoteClosed, ssh_channel_is_closed(channel) != 0 { remoteClosed = true }
        if remoteClosed { return finish() }
        let cancelled = killRequested || cancellation?.isCancelled == true
        if cancelled, remotePID == nil, pidLine != nil {
            // Just started: wait a moment for the PID line, else the kill could not find the command.
            cancelSeenAt = cancelSeenAt ?? now
            if now - cancelSeenAt! < .seconds(2) { return false }
        }
        if cancelled || deadline.map({ now >= $0 }) == true {
            if let remotePID {
                // The command's own group first: under sudo's `use_pty` it is not sudo's, and a killed
                // sudo cannot pass SIGKILL on.
                let pids = [become?.commandPID].compactMap { $0 }.filter { $0 > 1 } + [remotePID]
                followUp = Self.cleanup(
                    host: host, command: ShellCommand.killingGroups(pids) + "true", become: options.become)
            }
            if cancelled { return fail(CancellationError()) }
            let seconds = options.timeout?.inSeconds ?? 0
            return fail(ConnectionError.commandTimeout(host: host, command: display, seconds: seconds))
        }
        return false
    }

    /// Kills the command at the next `step`, as a cancellation would (the session is closing). A cleanup
    /// runs to its end: killing the kill would leave what it was sent to end.
    func requestKill() { killRequested = !isCleanup }

    /// A command that cleans up after another (a kill, a directory's removal): never killed by a closing
    /// session, which waits for it instead; its outcome is nobody's business.
    static func cleanup(host: String, command: String, become: Become? = nil) -> SSHChannelCommand? {
        try? SSHChannelCommand(
            host: host, command: command, options: CommandOptions(timeout: .seconds(10), become: become),
            isCleanup: true, completion: { _ in })
    }

    /// Ends the command because the session is gone.
    func abandon(_ error: Error) {
        _ = fail(error)
    }

    private func finish() -> Bool {
        if let held = pidLine, !held.isEmpty { stderr = held + stderr }
        if var session = become, let error = session.failure(host: host, user: options.become?.user ?? "root") {
            return fail(error)
        }
        guard exitStatus != nil || exitSignal != nil else {
            return fail(ConnectionError.channelFailure(host: host, detail: "the channel closed without an exit status"))
        }
        let result = CommandResult(
            exitStatus: exitSignal == nil ? exitStatus : nil, signal: exitSignal, stdout: stdout, stderr: stderr,
            duration: ContinuousClock.now - startedAt)
        release()
        report(.success(result))
        return true
    }

    private func fail(_ error: Error) -> Bool {
        release()
        report(.failure(error))
        return true
    }

    /// Resumes the caller once; later outcomes (the kill after a timeout) are not the caller's business.
    private func report(_ outcome: Result<CommandResult, Error>) {
        guard !reported else { return }
        reported = true
        completion(outcome)
    }

    private func sendStdin(prefix: [UInt8]) {
        guard !stdinSent, let channel else { return }
        stdinSent = true
        let bytes = prefix + preamble + options.stdin
        if !bytes.isEmpty {
            _ = bytes.withUnsafeBytes { ssh_channel_write(channel, $0.baseAddress, UInt32($0.count)) }
        }
        ssh_channel_send_eof(channel)
    }

    private func release() {
        callbacks?.remove()
        callbacks = nil
        if let channel { ssh_channel_free(channel) }
        channel = nil
    }

    fileprivate func received(_ bytes: UnsafeRawBufferPointer, isStderr: Bool) {
        var chunk = Array(bytes)
        if isStderr, pidLine != nil {
            chunk = takePIDLine(chunk)
            guard !chunk.isEmpty else { return }
        }
        let action = BecomeSession.deliver(
            chunk, isStderr: isStderr, through: &become, stdout: &stdout, stderr: &stderr)
        if action != .none { becomeEvents.append(action) }
    }

    /// Holds stderr back until the first line is complete; if it is the PID announcement, records the
    /// PID and drops the line. Returns the bytes that belong to the command.
    private func takePIDLine(_ chunk: [UInt8]) -> [UInt8] {
        pidLine! += chunk
        guard let newline = pidLine!.firstIndex(of: UInt8(ascii: "\n")) else { return [] }
        let line = String(decoding: pidLine![..<newline], as: UTF8.self)
        var rest = Array(pidLine![(newline + 1)...])
        if line.hasPrefix(ShellCommand.pidPrefix), let pid = Int(line.dropFirst(ShellCommand.pidPrefix.count)) {
            remotePID = pid
        } else {
            rest = pidLine!
        }
        pidLine = nil
        return rest
    }
}

extension SSHChannelCommand: SSHChannelEvents {
    func channelData(_ bytes: UnsafeRawBufferPointer, isStderr: Bool) { received(bytes, isStderr: isStderr) }
    func channelExitStatus(_ status: Int32) { exitStatus = status }
    func channelExitSignal(_ name: String) { exitSignal = name }
    func channelClosed() { remoteClosed = true }
}
