import CapstanTestSupport
import Foundation

@testable import CapstanTransport

/// Runs the built `capstan` on one fuzz case with a wall-clock limit and a memory limit, and says
/// whether the outcome is acceptable: an exit with a code Capstan documents (0, 2, 4, 6, 8, 64, 65),
/// not a signal, not exit 1 ("internal error"), not a timeout, not a memory blow-up.
enum FuzzProcess {
    /// How one run ended.
    enum Verdict: Equatable, CustomStringConvertible {
        case accepted(status: Int32)
        case internalError
        case unexpectedStatus(Int32)
        case signal(Int32)
        case timeout(seconds: Double)
        case memory(megabytes: Int)

        var isAccepted: Bool {
            if case .accepted = self { return true }
            return false
        }

        var description: String {
            switch self {
            case .accepted(let status): return "exit \(status)"
            case .internalError: return "exit 1 (internal error)"
            case .unexpectedStatus(let status): return "exit \(status), not a documented code"
            case .signal(let s): return "killed by signal \(s)"
            case .timeout(let s): return "still running after \(s) s"
            case .memory(let mb): return "resident memory over \(mb) MB"
            }
        }
    }

    /// The limits of one run.
    struct Limits {
        /// Wall-clock seconds before the run counts as a hang.
        var seconds: Double
        /// Peak resident memory, in bytes, before the run counts as a blow-up.
        var residentBytes: Int
    }

    /// What a run produced.
    struct Outcome {
        var verdict: Verdict
        var err: String
        var seconds: Double
        var peakResidentBytes: Int
    }

    static let statuses: Set<Int32> = [0, 2, 4, 6, 8, 64, 65]

    /// Runs `capstan ARGS` in its own process group. The address space is capped (through `prlimit`)
    /// at four times the memory limit, so that an allocation burst between two samples of the
    /// resident size cannot take the machine down; a run that dies near that cap counts as memory.
    static func run(_ arguments: [String], limits: Limits) throws -> Outcome {
        let scratch = TestScratch.directory + "/capstan-fuzz-" + UUID().uuidString
        defer { unlink(scratch + ".err") }
        let err = open(scratch + ".err", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        var env = ProcessInfo.processInfo.environment
        env["CAPSTAN_JOURNAL"] = scratch + ".sqlite"
        defer { unlink(scratch + ".sqlite") }
        let start = Date()
        let pid: pid_t
        do {
            defer { close(err) }
            pid = try PosixSpawn.start(
                "/usr/bin/prlimit", ["--as=\(limits.residentBytes * 4)", "--", CapstanBinary.path] + arguments,
                stdout: nil, stderr: err, environment: env)
        }
        var status: Int32 = 0
        var usage = rusage()
        var verdict: Verdict?
        var peak = 0
        while true {
            let done = wait4(pid, &status, WNOHANG, &usage)
            if done == pid { break }
            if done < 0, errno != EINTR { break }
            let resident = residentBytes(pid)
            peak = max(peak, resident)
            let elapsed = Date().timeIntervalSince(start)
            if verdict == nil, resident > limits.residentBytes {
                verdict = .memory(megabytes: limits.residentBytes >> 20)
                kill(-pid, SIGKILL)
            } else if verdict == nil, elapsed > limits.seconds {
                verdict = .timeout(seconds: limits.seconds)
                kill(-pid, SIGKILL)
            }
            usleep(verdict == nil ? 2_000 : 1_000)
        }
        // ru_maxrss is in kilobytes on Linux.
        peak = max(peak, Int(usage.ru_maxrss) * 1024)
        let text = (try? String(contentsOfFile: scratch + ".err", encoding: .utf8)) ?? ""
        if verdict == nil {
            let signal = status & 0x7f
            if signal != 0 {
                verdict = peak > limits.residentBytes / 2 ? .memory(megabytes: peak >> 20) : .signal(signal)
            } else {
                let code = (status >> 8) & 0xff
                if statuses.contains(code) {
                    verdict = .accepted(status: code)
                } else {
                    verdict = code == 1 ? .internalError : .unexpectedStatus(code)
                }
            }
        }
        return Outcome(
            verdict: verdict ?? .internalError, err: text, seconds: Date().timeIntervalSince(start),
            peakResidentBytes: peak)
    }

    /// The resident size of a running process from `/proc/PID/statm`, 0 once it is gone.
    private static func residentBytes(_ pid: pid_t) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
