import Foundation

/// Writes run events into the journal as they happen. A journal that cannot be written warns once
/// and stops recording; it never fails the run it records.
public final class JournalSink: OutputSink, @unchecked Sendable {
    private let journal: Journal
    private let runID: Int64
    private let lock = NSLock()
    private var taskIndex = 0
    private var taskName = ""
    private var broken = false
    private let onError: @Sendable (Error) -> Void

    /// Starts recording `run` in `journal`.
    public init(journal: Journal, run: JournalRun, onError: @escaping @Sendable (Error) -> Void) throws {
        self.journal = journal
        self.onError = onError
        runID = try journal.beginRun(run)
    }

    /// The id `capstan runs show` takes.
    public var id: Int64 { runID }

    public func emit(_ event: RunEvent) {
        lock.lock()
        defer { lock.unlock() }
        guard !broken else { return }
        do {
            switch event {
            case .runStarted(let name, _):
                taskName = name
                try journal.recordTask(run: runID, index: 0, name: name, play: name)
            case .taskStarted(let task):
                taskIndex = task.index
                taskName = task.name
                try journal.recordTask(run: runID, index: task.index, name: task.name, play: task.play)
            case .hostResult(let result):
                try journal.recordResult(run: runID, taskIndex: taskIndex, result: result)
            case .playStarted, .included, .warning, .noHosts, .recap:
                break
            }
        } catch {
            broken = true
            onError(error)
        }
    }

    /// Records the exit code; call once at the end.
    public func finish(exitCode: Int32) {
        lock.lock()
        defer { lock.unlock() }
        guard !broken else { return }
        do { try journal.finishRun(runID, exitCode: exitCode) } catch { onError(error) }
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
