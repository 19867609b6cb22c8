import CLibSSH
import CapstanBasics
import Foundation

/// One long-lived channel running `/bin/sh -s`, through which commands run one at a time without a new
/// sshd session each (see `ResidentShellScript` for the protocol). Lives on its session's thread only.
///
/// If the shell fails before a command was sent to it, the command goes back to the loop for the
/// per-channel path; once sent, the command may have run, so a failure is reported rather than retried.
final class SSHResidentShell {
    /// What `step` asks the session loop to do.
    struct StepResult {
        /// Run this request on its own channel instead (the shell failed before running it).
        var fallback: CommandRequest?
        /// Run this command next: the kill of a timed-out command's process group.
        var followUp: SSHChannelCommand?
    }

    private let host: String
    private var channel: OpaquePointer?
    private var callbacks: SSHChannelCallbacks?
    private var ready: ResidentShellScript.Ready?
    private var current: CommandRequest?
    private var sent = false
    private var nonce = ""
    private var sequence = 0
    private var startedAt = ContinuousClock.now
    private var deadline: ContinuousClock.Instant?
    private var header: ResidentShellScript.Header?
    /// The current command's stdout section, once its end marker arrived (when it has stderr too).
    private var stdoutSection: [UInt8]?
    /// Where the search for the next end marker resumes: everything before was searched already.
    private var searchedUpTo = 0
    private var output: [UInt8] = []
    private var remoteClosed = false
    private var exitSignal: String?
    /// Set when the shell cannot be used again; the loop then drops it.
    private(set) var isDead = false
    /// Own programs kept as the shell's functions, and the one the current command calls.
    private var programs: ResidentProgramCache
    private var currentFunction: String?
    /// Set when the session closes during a command: it is killed as if cancelled.
    private var killRequested = false
    /// User commands run since their numbered files were last removed.
    private var userCommandsSinceSweep = 0

    /// Past this moment a shell that has not announced itself is given up (a ~/.bashrc that blocks).
    private var readyDeadline: ContinuousClock.Instant

    /// `keptProgramBytes`: how much own program text the shell keeps as functions (0: none; worth it only
    /// on a session that outlives a run).
    init(host: String, startupTimeout: Duration = .seconds(10), keptProgramBytes: Int = 0) {
        self.host = host
        readyDeadline = .now + startupTimeout
        programs = ResidentProgramCache(budget: keptProgramBytes)
    }

    /// True when the shell can take a command now or as soon as it is ready.
    var isFree: Bool { !isDead && current == nil }

    /// Opens the channel, starts the shell and sends its preamble (blocking on the session thread).
    func open(session: OpaquePointer) -> Bool {
        guard let channel = ssh_channel_new(session) else { return die() }
        self.channel = channel
        callbacks = SSHChannelCallbacks(on: channel, owner: self)
        guard ssh_channel_open_session(channel) == SSH_OK,
            ssh_channel_request_exec(channel, ResidentShellScript.channelCommand) == SSH_OK
        else { return die() }
        return write(Array(ResidentShellScript.preamble.utf8)) || die()
    }

    /// Gives the shell its next command; it is sent at once, or when the shell announces itself.
    func assign(_ request: CommandRequest) {
        current = request
        killRequested = false
        sent = false
        header = nil
        stdoutSection = nil
        searchedUpTo = 0
        startedAt = .now
        deadline = request.options.timeout.map { startedAt + $0 }
        if ready != nil { send() }
    }

    /// The next moment `step` must run even if no traffic arrives.
    var wakeup: ContinuousClock.Instant? { ready == nil ? readyDeadline : (sent ? deadline : nil) }

    /// Parses what arrived, finishes the current command when its frame is complete, and handles the
    /// shell's death and the command's deadline.
    func step(now: ContinuousClock.Instant) -> StepResult {
        var result = StepResult()
        // Lines before the announcement are a chatty ~/.bashrc's: skipped, as long as the announcement
        // comes in time.
        while ready == nil, let line = takeLine() {
            ready = ResidentShellScript.parseReady(line)
            if ready != nil, current != nil { send() }
        }
        if ready == nil, now >= readyDeadline {
            result.fallback = giveBack()
            _ = die()
            return result
        }
        if sent, let request = current {
            // An own program's stdout comes first, before its header.
            if request.options.subshell, header == nil, stdoutSection == nil, let section = takeSection() {
                stdoutSection = section
            }
            if header == nil, !request.options.subshell || stdoutSection != nil, let line = takeLine() {
                header = ResidentShellScript.parseHeader(line, nonce: nonce)
                if header == nil {
                    return failAndDie(ConnectionError.channelFailure(host: host, detail: "resident shell: bad frame"))
                }
            }
            if let header, !header.started {
                result.fallback = giveBack()
                _ = die()
                return result
            }
            if let header { completeIfFramed(header) }
        }
        // Close, not EOF: sshd sends the exit status or signal between the two.
        if let channel, !remoteClosed, ssh_channel_is_closed(channel) != 0 {
            remoteClosed = true
        }
        if remoteClosed, !isDead {
            if current != nil, !sent {
                result.fallback = giveBack()
            } else if let request = current, let exitSignal {
                // Killed with the command's process group (`kill 0`): what a channel would report.
                current = nil
                request.completion(
                    .success(
                        CommandResult(
                            exitStatus: nil, signal: exitSignal, stdout: [], stderr: [],
                            duration: ContinuousClock.now - startedAt)))
            } else if current != nil {
                return failAndDie(
                    ConnectionError.channelFailure(host: host, detail: "the resident shell ended during the command"))
            }
            _ = die()
            return result
        }
        guard let request = current else { return result }
        let cancelled = killRequested || request.cancellation?.isCancelled == true
        if !sent, cancelled {
            // Never sent: the shell stays usable for the next command.
            current = nil
            request.completion(.failure(CancellationError()))
        } else if sent, cancelled || deadline.map({ now >= $0 }) == true {
            result.followUp = killCommand()
            let error: Error =
                cancelled
                ? CancellationError()
                : ConnectionError.commandTimeout(
                    host: host, command: request.command, seconds: request.options.timeout?.inSeconds ?? 0)
            return failAndDie(error, result: result)
        }
        return result
    }

    /// The kill of the running command, on a channel of its own. The command shares the shell's process
    /// group (sshd made the shell its leader): killing the group ends both, and the shell is not reused.
    /// SIGKILL skips its exit trap, so the kill also removes the shell's directory.
    private func killCommand() -> SSHChannelCommand? {
        guard let ready else { return nil }
        let pid = ready.pid
        return SSHChannelCommand.cleanup(
            host: host,
            command: ShellCommand.killingGroups([pid]) + "rm -rf \(ShellWords.singleQuoted(ready.directory)); true")
    }

    /// Kills the current command, if any, at the next `step`, as a cancellation would (the session is
    /// closing).
    func requestKill() { killRequested = current != nil }

    /// Fails the current command (the session is gone) and frees the channel.
    func abandon(_ error: ConnectionError) {
        _ = failAndDie(error)
    }

    /// Closes an idle shell; stdin's end makes it exit and remove its directory.
    func close() {
        _ = die()
    }

    private func send() {
        guard let request = current, let ready else { return }
        nonce =
            String(UInt64.random(in: 1 << 60 ... .max), radix: 16)
            + String(UInt64.random(in: 1 << 60 ... .max), radix: 16)
        let subshell = request.options.subshell
        // Own programs may be kept as functions; users' commands leave numbered files to sweep.
        var program = (form: ResidentShellScript.ProgramForm.inline, forget: [String]())
        if subshell { program = programs.form(for: request.command) } else { userCommandsSinceSweep += 1 }
        switch program.form {
        case .inline: currentFunction = nil
        case .define(let name), .call(let name): currentFunction = name
        }
        let sweep = userCommandsSinceSweep > ResidentShellScript.sweepEvery
        if sweep { userCommandsSinceSweep = 1 }
        let script: String
        do {
            script = try ResidentShellScript.wrapper(
                command: request.command, environment: request.options.environment, stdin: request.options.stdin,
                subshell: subshell, sequence: sequence, nonce: nonce, directory: ready.directory,
                program: program.form, forget: program.forget, sweep: sweep)
        } catch {
            current = nil
            request.completion(.failure(error))
            return
        }
        sequence += 1
        sent = true
        if !write(Array(script.utf8)) {
            _ = failAndDie(ConnectionError.channelFailure(host: host, detail: "could not write to the resident shell"))
        }
    }

    /// Completes the current command once every section its header announced has arrived.
    private func completeIfFramed(_ header: ResidentShellScript.Header) {
        if header.hasStdout, stdoutSection == nil {
            guard let section = takeSection() else { return }
            stdoutSection = section
        }
        var stderr: [UInt8] = []
        if header.hasStderr {
            guard let section = takeSection() else { return }
            stderr = section
        }
        let result = CommandResult(
            exitStatus: header.exitStatus, signal: header.signal, stdout: stdoutSection ?? [], stderr: stderr,
            duration: ContinuousClock.now - startedAt)
        // 127 may mean the function was never defined: the next use sends the text again.
        if header.exitStatus == 127, let currentFunction { programs.drop(currentFunction) }
        self.header = nil
        stdoutSection = nil
        let request = current!
        current = nil
        sent = false
        request.completion(.success(result))
    }

    /// Removes and returns the output up to the current command's end marker (dropping the marker), or
    /// `nil` while the marker has not arrived. Each byte is searched once however the data trickles in.
    private func takeSection() -> [UInt8]? {
        let marker = Array(ResidentShellScript.endMarker(nonce: nonce).utf8)
        let start = min(searchedUpTo, output.count)
        var found: Int?
        var index = start
        while index + marker.count <= output.count {
            guard let first = output[index...].firstIndex(of: marker[0]), first + marker.count <= output.count else {
                break
            }
            if output[first..<(first + marker.count)].elementsEqual(marker) {
                found = first
                break
            }
            index = first + 1
        }
        guard let found else {
            searchedUpTo = max(0, output.count - marker.count + 1)
            return nil
        }
        let section = Array(output[..<found])
        output.removeFirst(found + marker.count)
        searchedUpTo = 0
        return section
    }

    /// Takes the current request back without having run it.
    private func giveBack() -> CommandRequest? {
        defer { current = nil }
        return current
    }

    private func failAndDie(_ error: Error, result: StepResult = StepResult()) -> StepResult {
        if let request = current {
            current = nil
            request.completion(.failure(error))
        }
        _ = die()
        return result
    }

    /// Frees the channel and marks the shell unusable. Returns false, for `guard ... else { return die() }`.
    @discardableResult
    private func die() -> Bool {
        isDead = true
        callbacks?.remove()
        callbacks = nil
        if let channel { ssh_channel_free(channel) }
        channel = nil
        return false
    }

    private func write(_ bytes: [UInt8]) -> Bool {
        guard let channel else { return false }
        return bytes.withUnsafeBytes { ssh_channel_write(channel, $0.baseAddress, UInt32($0.count)) }
            == Int32(bytes.count)
    }

    /// Removes and returns the first line of `output` (without its newline), if complete.
    private func takeLine() -> String? {
        guard let newline = output.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = String(decoding: output[..<newline], as: UTF8.self)
        output.removeFirst(newline + 1)
        return line
    }
}

extension SSHResidentShell: SSHChannelEvents {
    /// The shell's own stderr carries nothing of the commands' (theirs goes to files): dropped.
    func channelData(_ bytes: UnsafeRawBufferPointer, isStderr: Bool) {
        if !isStderr { output.append(contentsOf: bytes) }
    }
    func channelExitSignal(_ name: String) { exitSignal = name }
    func channelClosed() { remoteClosed = true }
}
