import CLibSSH
import Foundation
import Synchronization

/// Runs one command as a local child process on a thread of its own: feeds stdin, reads stdout and
/// stderr together with `poll` (so neither pipe can fill up and stall the child), enforces the deadline
/// by killing the child's whole process group, and handles sudo's prompt like the SSH channel does.
final class LocalCommand {
    private let host: String
    private let display: String
    private let commandLine: String
    /// The program, written to stdin ahead of the command's own input (see `StdinProgram`).
    private let preamble: [UInt8]
    private let options: CommandOptions
    private var become: BecomeSession?
    private var stdout: [UInt8] = []
    private var stderr: [UInt8] = []
    private var pendingInput: [UInt8] = []
    private var inputReleased = false
    /// Set from another thread when the caller's task is cancelled; the run loop then kills the child.
    private let cancelled = Atomic<Bool>(false)

    init(host: String, command: String, options: CommandOptions) throws {
        self.host = host
        display = command
        self.options = options
        let (program, session) = try ShellCommand.program(command, options: options)
        become = session
        commandLine = program.commandLine
        preamble = program.preamble
        if become?.password == nil { release(prefix: []) }
    }

    /// Asks `run` to kill the child's process group and throw `CancellationError` (from any thread; seen
    /// within `cancelCheck`).
    func cancel() { cancelled.store(true, ordering: .releasing) }

    /// How often a running command looks at `cancel`.
    private static let cancelCheck: Int32 = 100

    /// Runs the command to completion; blocks the calling thread.
    func run() throws -> CommandResult {
        let started = ContinuousClock.now
        let deadline = options.timeout.map { started + $0 }
        var input: [Int32] = [0, 0]
        var output: [Int32] = [0, 0]
        var errors: [Int32] = [0, 0]
        guard capstan_pipe_cloexec(&input) == 0, capstan_pipe_cloexec(&output) == 0, capstan_pipe_cloexec(&errors) == 0
        else {
            throw ConnectionError.channelFailure(host: host, detail: "pipe failed: \(String(cString: strerror(errno)))")
        }
        let pid: pid_t
        do {
            pid = try PosixSpawn.start(
                "/bin/sh", ["-c", commandLine], stdin: input[0], stdout: output[1], stderr: errors[1])
        } catch {
            [input[0], input[1], output[0], output[1], errors[0], errors[1]].forEach { close($0) }
            throw ConnectionError.channelFailure(host: host, detail: "\(error)")
        }
        [input[0], output[1], errors[1]].forEach { close($0) }
        var stdinFD: Int32? = input[1]
        var readers: [Int32: Bool] = [output[0]: false, errors[0]: true]
        for fd in [input[1], output[0], errors[0]] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        defer {
            if let stdinFD { close(stdinFD) }
            readers.keys.forEach { close($0) }
        }
        while !readers.isEmpty {
            if cancelled.load(ordering: .acquiring) {
                killChild(pid)
                _ = PosixSpawn.wait(pid)
                throw CancellationError()
            }
            if let deadline, ContinuousClock.now >= deadline {
                killChild(pid)
                _ = PosixSpawn.wait(pid)
                throw ConnectionError.commandTimeout(
                    host: host, command: display, seconds: options.timeout?.inSeconds ?? 0)
            }
            var fds = readers.keys.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if let fd = stdinFD, inputReleased { fds.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)) }
            let wait = deadline.map { max(0, Int32(($0 - ContinuousClock.now) / .milliseconds(1)) + 1) } ?? 1000
            _ = poll(&fds, nfds_t(fds.count), min(wait, Self.cancelCheck))
            for descriptor in fds where descriptor.revents != 0 {
                if descriptor.fd == stdinFD {
                    if writeInput(to: descriptor.fd) {
                        close(descriptor.fd)
                        stdinFD = nil
                    }
                } else if let isStderr = readers[descriptor.fd], !drain(descriptor.fd, isStderr: isStderr, pid: pid) {
                    close(descriptor.fd)
                    readers[descriptor.fd] = nil
                }
            }
        }
        let (status, signal) = PosixSpawn.wait(pid)
        if var session = become, let error = session.failure(host: host, user: options.become?.user ?? "root") {
            throw error
        }
        return CommandResult(
            exitStatus: status, signal: signal.map(SignalNames.name(of:)), stdout: stdout, stderr: stderr,
            duration: ContinuousClock.now - started)
    }

    /// Kills the command's process group under sudo (its own under `use_pty`; allowed when the controller
    /// runs as root), then the child's.
    private func killChild(_ pid: pid_t) {
        if let inner = become?.commandPID, inner > 1 { kill(-pid_t(inner), SIGKILL) }
        kill(-pid, SIGKILL)
    }

    /// Reads what is available; returns false at end of file.
    private func drain(_ fd: Int32, isStderr: Bool, pid: pid_t) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count == 0 { return false }
            if count < 0 { return errno == EAGAIN || errno == EINTR }
            received(Array(buffer[0..<count]), isStderr: isStderr, pid: pid)
        }
    }

    private func received(_ chunk: [UInt8], isStderr: Bool, pid: pid_t) {
        let action = BecomeSession.deliver(
            chunk, isStderr: isStderr, through: &become, stdout: &stdout, stderr: &stderr)
        switch action {
        case .sendPassword: release(prefix: Array(((become?.password?.value ?? "") + "\n").utf8))
        case .started:
            if let held = become?.takeHeldStderr() { stderr = held + stderr }
            release(prefix: [])
        case .passwordRejected: killChild(pid)
        case .none: break
        }
    }

    /// Lets stdin (after an optional password line) flow to the child; only the first call counts.
    private func release(prefix: [UInt8]) {
        guard !inputReleased else { return }
        inputReleased = true
        pendingInput = prefix + preamble + options.stdin
    }

    /// Writes what the pipe takes; returns true when everything was written (or the child closed stdin).
    private func writeInput(to fd: Int32) -> Bool {
        while !pendingInput.isEmpty {
            let count = pendingInput.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count < 0 { return !(errno == EAGAIN || errno == EINTR) }
            pendingInput.removeFirst(count)
        }
        return true
    }
}
