/// Capstan's exit codes: one meaning each. Host outcomes are bits, so a run with failed and
/// unreachable hosts exits 6 (2 | 4) instead of hiding one behind the other as Ansible's 2 does.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Every host did what was asked.
    case success = 0
    /// Capstan itself failed (a bug, or the machine refused something); the message says what.
    case internalError = 1
    /// At least one host failed a task; none was unreachable.
    case hostsFailed = 2
    /// At least one host could not be reached; none failed.
    case hostsUnreachable = 4
    /// Some hosts failed and some could not be reached.
    case hostsFailedAndUnreachable = 6
    /// The host pattern matched no host: nothing ran, which is never a silent success.
    case noHostsMatched = 8
    /// The command line was wrong (unknown option, missing argument): ArgumentParser's own code.
    case usage = 64
    /// An input file (inventory, playbook, variables) is invalid; the message names FILE:LINE:COL.
    case invalidInput = 65
    /// Another run is changing the same inventory's hosts (`InventoryLock`); nothing ran.
    case inventoryLocked = 75
    /// The user interrupted the run (Ctrl-C, SIGINT): no task started after it, running commands were
    /// killed.
    case interrupted = 130
    /// The run was told to stop (SIGTERM), with the same clean-up as an interrupt.
    case terminated = 143

    /// The code for a finished run from its host counters.
    public static func forRun(anyFailed: Bool, anyUnreachable: Bool) -> ExitStatus {
        switch (anyFailed, anyUnreachable) {
        case (false, false): return .success
        case (true, false): return .hostsFailed
        case (false, true): return .hostsUnreachable
        case (true, true): return .hostsFailedAndUnreachable
        }
    }

    /// One line per code, for `--help` and the README.
    public static var table: String {
        """
        Exit codes:
          0    every host succeeded
          1    internal error in Capstan
          2    one or more hosts failed
          4    one or more hosts were unreachable
          6    hosts failed and hosts were unreachable
          8    the pattern matched no hosts
          64   wrong command-line usage
          65   invalid input file (inventory, playbook, variables)
          75   another run holds the inventory's lock (--no-lock runs anyway)
          130  interrupted (SIGINT)
          143  terminated (SIGTERM)
        """
    }
}
