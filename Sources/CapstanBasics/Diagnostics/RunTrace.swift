import Foundation

/// A timing trace for finding where a run's time goes, on stderr, when `CAPSTAN_TRACE=1` (or `2`).
///
/// Each line is `trace <ms since start> <what>`. Off by default: then every call is one branch on a
/// constant. Counts remote operations (commands, puts, gets) so that a task's round trips per host
/// can be read off without a profiler.
public enum RunTrace {
    /// True when `CAPSTAN_TRACE` was `1` or `2` when the process started.
    public static let enabled = ["1", "2"].contains(ProcessInfo.processInfo.environment["CAPSTAN_TRACE"])
    /// True with `CAPSTAN_TRACE=2`: remote commands are logged whole, not just their first line.
    public static let verbose = ProcessInfo.processInfo.environment["CAPSTAN_TRACE"] == "2"

    private static let start = ContinuousClock.now
    private static let lock = NSLock()
    nonisolated(unsafe) private static var remoteCalls = 0

    /// Writes one trace line (the text is built only when tracing is on).
    public static func log(_ text: @autoclosure () -> String) {
        guard enabled else { return }
        let line = "trace \(milliseconds(ContinuousClock.now - start)) \(text())\n"
        lock.withLock { FileHandle.standardError.write(Data(line.utf8)) }
    }

    /// Counts one remote operation.
    public static func countRemoteCall() {
        guard enabled else { return }
        lock.withLock { remoteCalls += 1 }
    }

    /// Remote operations counted so far.
    public static var remoteCallCount: Int { lock.withLock { remoteCalls } }

    /// The process's CPU time so far (user, system), in milliseconds.
    public static func cpuMilliseconds() -> (user: Double, system: Double) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func ms(_ t: timeval) -> Double { Double(t.tv_sec) * 1000 + Double(t.tv_usec) / 1000 }
        return (ms(usage.ru_utime), ms(usage.ru_stime))
    }

    /// A duration as milliseconds with two decimals.
    public static func milliseconds(_ d: Duration) -> String {
        String(format: "%.2f", Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
    }

    /// Measures `body` and logs `label` with its duration.
    public static func measure<T>(_ label: @autoclosure () -> String, _ body: () throws -> T) rethrows -> T {
        guard enabled else { return try body() }
        let begin = ContinuousClock.now
        defer { log("\(label()) \(milliseconds(ContinuousClock.now - begin))ms") }
        return try body()
    }
}
