/// What a finished command produced: how it ended, its two output streams kept apart, how long it took.
public struct CommandResult: Sendable, Hashable {
    /// The exit status, or `nil` when the command was killed by a signal.
    public var exitStatus: Int32?
    /// The signal that killed the command, without the `SIG` prefix (`"KILL"`, `"TERM"`), as SSH names it.
    public var signal: String?
    /// Everything written to standard output, byte for byte.
    public var stdout: [UInt8]
    /// Everything written to standard error, byte for byte.
    public var stderr: [UInt8]
    /// Wall-clock time from sending the command to seeing it end.
    public var duration: Duration

    /// Creates a result.
    public init(exitStatus: Int32?, signal: String?, stdout: [UInt8], stderr: [UInt8], duration: Duration) {
        self.exitStatus = exitStatus
        self.signal = signal
        self.stdout = stdout
        self.stderr = stderr
        self.duration = duration
    }

    /// True when the command exited with status 0.
    public var succeeded: Bool { exitStatus == 0 }

    /// Standard output decoded as UTF-8 (invalid bytes replaced), for messages and facts.
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }

    /// Standard error decoded as UTF-8 (invalid bytes replaced).
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }

    /// Ansible's `rc`: the exit status, or minus the signal number when killed by a signal.
    public var returnCode: Int {
        if let exitStatus { return Int(exitStatus) }
        if let signal, let number = SignalNames.number(of: signal) { return -Int(number) }
        return -1
    }
}

extension Duration {
    /// The duration in seconds, for messages (`commandTimeout`).
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
