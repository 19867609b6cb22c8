import CLibSSH

/// One remote command on its own channel: opens it, feeds stdin (and the sudo password when sudo asks),
/// collects stdout and stderr as they arrive through channel callbacks, and finishes on channel close,
/// on its deadline, or on a become failure. Lives on its session's thread only.
final class SSHChannelCommand {
    private let host: String
    /// The user's command, for timeout messages.
    private let display: String
    private let commandLine: String
    private let options: CommandOptions
    private var become: BecomeSession?
    private let continuation: CheckedContinuation<CommandResult, Error>
    private let startedAt = ContinuousClock.now
    /// When the command is killed; `nil` for no limit.
    let deadline: ContinuousClock.Instant?

    private var channel: OpaquePointer?
    private var callbacks: UnsafeMutablePointer<ssh_channel_callbacks_struct>?
    private var stdout: [UInt8] = []
    private var stderr: [UInt8] = []
    private var exitStatus: Int32?
    private var exitSignal: String?
    private var remoteClosed = false
    private var stdinSent = false
    private var becomeEvents: [BecomeSession.Action] = []

    init(
        host: String, command: String, options: CommandOptions,
        continuation: CheckedContinuation<CommandResult, Error>
    ) throws {
        self.host = host
        display = command
        self.options = options
        self.continuation = continuation
        if let setting = options.become {
            let session = BecomeSession(password: setting.password)
            become = session
            commandLine = try ShellCommand.become(
                command, environment: options.environment, become: setting, session: session)
        } else {
            commandLine = try ShellCommand.plain(command, environment: options.environment)
        }
        deadline = options.timeout.map { ContinuousClock.now + $0 }
    }

    /// Opens the channel and starts the command (two round trips, blocking on the session thread).
    /// Returns false if it failed, having already reported the failure.
    func start(session: OpaquePointer) -> Bool {
        guard let channel = ssh_channel_new(session) else {
            return fail(.channelFailure(host: host, detail: SSHSessionOptions.lastError(session)))
        }
        self.channel = channel
        installCallbacks(on: channel)
        guard ssh_channel_open_session(channel) == SSH_OK, ssh_channel_request_exec(channel, commandLine) == SSH_OK
        else {
            return fail(.channelFailure(host: host, detail: SSHSessionOptions.lastError(session)))
        }
        if become?.password == nil { sendStdin(prefix: []) }
        return true
    }

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
                return fail(.becomePasswordWrong(host: host, user: options.become?.user ?? "root"))
            case .none:
                break
            }
        }
        becomeEvents = []
        if let channel, !remoteClosed, ssh_channel_is_closed(channel) != 0 { remoteClosed = true }
        if remoteClosed { return finish() }
        if let deadline, now >= deadline {
            if let channel { _ = ssh_channel_request_send_signal(channel, "KILL") }
            let seconds = options.timeout?.inSeconds ?? 0
            return fail(.commandTimeout(host: host, command: display, seconds: seconds))
        }
        return false
    }

    /// Ends the command because the session is gone.
    func abandon(_ error: ConnectionError) {
        _ = fail(error)
    }

    private func finish() -> Bool {
        if var session = become, let error = session.failure(host: host, user: options.become?.user ?? "root") {
            return fail(error)
        }
        guard exitStatus != nil || exitSignal != nil else {
            return fail(.channelFailure(host: host, detail: "the channel closed without an exit status"))
        }
        let result = CommandResult(
            exitStatus: exitSignal == nil ? exitStatus : nil, signal: exitSignal, stdout: stdout, stderr: stderr,
            duration: ContinuousClock.now - startedAt)
        release()
        continuation.resume(returning: result)
        return true
    }

    private func fail(_ error: ConnectionError) -> Bool {
        release()
        continuation.resume(throwing: error)
        return true
    }

    private func sendStdin(prefix: [UInt8]) {
        guard !stdinSent, let channel else { return }
        stdinSent = true
        let bytes = prefix + options.stdin
        if !bytes.isEmpty {
            _ = bytes.withUnsafeBytes { ssh_channel_write(channel, $0.baseAddress, UInt32($0.count)) }
        }
        ssh_channel_send_eof(channel)
    }

    private func release() {
        if let channel {
            if let callbacks { ssh_remove_channel_callbacks(channel, callbacks) }
            ssh_channel_free(channel)
        }
        channel = nil
        callbacks?.deallocate()
        callbacks = nil
    }

    fileprivate func received(_ bytes: UnsafeRawBufferPointer, isStderr: Bool) {
        let chunk = Array(bytes)
        guard become != nil else {
            if isStderr { stderr += chunk } else { stdout += chunk }
            return
        }
        var action = BecomeSession.Action.none
        if isStderr {
            stderr += become!.filterStderr(chunk, action: &action)
        } else {
            stdout += become!.filterStdout(chunk, action: &action)
        }
        if action != .none { becomeEvents.append(action) }
    }

    private func installCallbacks(on channel: OpaquePointer) {
        let pointer = UnsafeMutablePointer<ssh_channel_callbacks_struct>.allocate(capacity: 1)
        pointer.initialize(to: ssh_channel_callbacks_struct())
        pointer.pointee.size = MemoryLayout<ssh_channel_callbacks_struct>.size
        pointer.pointee.userdata = Unmanaged.passUnretained(self).toOpaque()
        pointer.pointee.channel_data_function = { _, _, data, length, isStderr, userdata in
            guard let data, let userdata else { return 0 }
            let command = Unmanaged<SSHChannelCommand>.fromOpaque(userdata).takeUnretainedValue()
            command.received(UnsafeRawBufferPointer(start: data, count: Int(length)), isStderr: isStderr != 0)
            return Int32(length)
        }
        pointer.pointee.channel_exit_status_function = { _, _, status, userdata in
            guard let userdata else { return }
            Unmanaged<SSHChannelCommand>.fromOpaque(userdata).takeUnretainedValue().exitStatus = Int32(status)
        }
        // libssh 0.10 has no getter for the signal: ssh_channel_get_exit_status just says -1.
        pointer.pointee.channel_exit_signal_function = { _, _, signal, _, _, _, userdata in
            guard let userdata else { return }
            let name = signal.map { String(cString: $0) } ?? "UNKNOWN"
            Unmanaged<SSHChannelCommand>.fromOpaque(userdata).takeUnretainedValue().exitSignal = name
        }
        pointer.pointee.channel_close_function = { _, _, userdata in
            guard let userdata else { return }
            Unmanaged<SSHChannelCommand>.fromOpaque(userdata).takeUnretainedValue().remoteClosed = true
        }
        callbacks = pointer
        ssh_set_channel_callbacks(channel, pointer)
    }
}
