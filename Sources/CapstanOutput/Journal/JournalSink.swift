import Foundation

/// Writes run events into the journal as they happen, off the run's path: `emit` only queues the
/// row, and a writer thread commits whatever has queued up in one transaction (one sync to disk per
/// batch, not per result), so a slow disk never holds up a task. `finish` waits until every queued row
/// is written. A journal that cannot be written reports it once through `onError` and stops recording
/// this run; it never fails the run it records.
public final class JournalSink: OutputSink, @unchecked Sendable {
    private let journal: Journal
    private let runID: Int64
    private let writer: JournalWriter
    private let lock = NSLock()
    /// The current task's row: tasks are numbered here, over the whole run, so that no producer's
    /// numbering (a play's own, say) can make two tasks share a row.
    private var taskIndex = 0
    /// The current play, counted from 1 (0 before the first `PLAY`, as for an ad-hoc run).
    private var playIndex = 0

    /// Starts recording `run` in `journal`.
    public init(journal: Journal, run: JournalRun, onError: @escaping @Sendable (Error) -> Void) throws {
        self.journal = journal
        runID = try journal.beginRun(run)
        writer = JournalWriter(journal: journal, runID: runID, onError: onError)
    }

    /// The id `capstan runs show` takes.
    public var id: Int64 { runID }

    public func emit(_ event: RunEvent) {
        let entry: JournalEntry? = lock.withLock {
            switch event {
            case .runStarted(let name, _):
                return .task(index: 0, name: name, play: name, playIndex: 0)
            case .playStarted:
                playIndex += 1
                return nil
            case .taskStarted(let task):
                taskIndex += 1
                return .task(index: taskIndex, name: task.name, play: task.play, playIndex: playIndex)
            case .hostResult(let result):
                return .result(taskIndex: taskIndex, result: result, recordedAt: Date())
            case .included, .warning, .noHosts, .recap:
                return nil
            }
        }
        if let entry { writer.enqueue(entry) }
    }

    /// Waits for the queued rows, then records the exit code; call once at the end.
    public func finish(exitCode: Int32) {
        guard writer.drainAndStop() else { return }
        do { try journal.finishRun(runID, exitCode: exitCode) } catch { writer.onError(error) }
    }
}

/// The thread that commits a sink's queued rows in batches.
final class JournalWriter: @unchecked Sendable {
    private let journal: Journal
    private let runID: Int64
    let onError: @Sendable (Error) -> Void
    private let condition = NSCondition()
    private var pending: [JournalEntry] = []
    private var stopping = false
    private var stopped = false
    private var broken = false

    init(journal: Journal, runID: Int64, onError: @escaping @Sendable (Error) -> Void) {
        self.journal = journal
        self.runID = runID
        self.onError = onError
        let thread = Thread { [self] in run() }
        thread.name = "journal"
        thread.start()
    }

    /// Queues a row (dropped once the journal failed).
    func enqueue(_ entry: JournalEntry) {
        condition.lock()
        if !broken && !stopping {
            pending.append(entry)
            condition.signal()
        }
        condition.unlock()
    }

    /// Writes what is queued, ends the thread, and says whether the journal is still good.
    func drainAndStop() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        stopping = true
        condition.broadcast()
        while !stopped { condition.wait() }
        return !broken
    }

    private func run() {
        condition.lock()
        while true {
            while pending.isEmpty && !stopping { condition.wait() }
            if pending.isEmpty {
                stopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = pending
            pending = []
            condition.unlock()
            var failure: Error?
            do { try journal.record(batch, run: runID) } catch { failure = error }
            condition.lock()
            if let failure {
                broken = true
                pending = []
                stopping = true
                condition.unlock()
                onError(failure)
                condition.lock()
            }
        }
    }
}

/// Sends every event to several sinks in order (terminal and journal, say).
public final class FanOutSink: OutputSink, @unchecked Sendable {
    private let sinks: [any OutputSink]

    public init(_ sinks: [any OutputSink]) { self.sinks = sinks }

    public func emit(_ event: RunEvent) {
        for sink in sinks { sink.emit(event) }
    }
}
