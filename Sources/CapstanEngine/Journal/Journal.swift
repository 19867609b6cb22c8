import Foundation
import GRDB

/// The run journal: every run, task and per-host result with timings, in SQLite, so that
/// `capstan runs` can show what happened and a later run can resume where one stopped.
///
/// The file is created with mode 0600: results can hold data users would not want world-readable,
/// even though `no_log` results and secrets are censored before they reach it.
public final class Journal: @unchecked Sendable {
    let queue: DatabaseQueue
    /// Where the database lives.
    public let path: String

    /// `$CAPSTAN_JOURNAL`, else `$XDG_STATE_HOME/capstan/journal.sqlite`, else
    /// `~/.local/state/capstan/journal.sqlite`.
    public static var defaultPath: String {
        let env = ProcessInfo.processInfo.environment
        if let explicit = env["CAPSTAN_JOURNAL"], !explicit.isEmpty { return explicit }
        let state =
            env["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/state")
        return (state as NSString).appendingPathComponent("capstan/journal.sqlite")
    }

    /// Opens (or creates) the journal at `path` and brings its schema up to date.
    public init(path: String = Journal.defaultPath) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if !FileManager.default.fileExists(atPath: path) {
            // Made 0600 before SQLite opens it; if this fails, opening the database reports why.
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        var config = Configuration()
        config.busyMode = .timeout(5)
        queue = try DatabaseQueue(path: path, configuration: config)
        try JournalSchema.migrator.migrate(queue)
    }

    /// Starts a run and returns its id.
    public func beginRun(_ run: JournalRun) throws -> Int64 {
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (started_at, kind, command, inventory, playbook, check_mode, limit_pattern, tags)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.startedAt.timeIntervalSince1970, run.kind, run.command, run.inventory, run.playbook,
                    run.checkMode, run.limit, run.tags,
                ])
            return db.lastInsertedRowID
        }
    }

    /// Records that a task started (its position lets a resumed run skip what was done).
    public func recordTask(run: Int64, index: Int, name: String, play: String) throws {
        try record([.task(index: index, name: name, play: play)], run: run)
    }

    /// Records one host's result for a task.
    public func recordResult(run: Int64, taskIndex: Int, result: HostResult) throws {
        try record([.result(taskIndex: taskIndex, result: result, recordedAt: Date())], run: run)
    }

    /// Records several tasks and results of a run in one transaction (one sync to disk for all).
    public func record(_ entries: [JournalEntry], run: Int64) throws {
        try queue.write { db in
            for entry in entries {
                switch entry {
                case .task(let index, let name, let play):
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO tasks (run_id, task_index, name, play) VALUES (?, ?, ?, ?)",
                        arguments: [run, index, name, play])
                case .result(let taskIndex, let result, let recordedAt):
                    let ms =
                        Double(result.duration.components.seconds) * 1000
                        + Double(result.duration.components.attoseconds) / 1e15
                    try db.execute(
                        sql: """
                            INSERT INTO results (run_id, task_index, host, status, module, duration_ms, result_json, recorded_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            run, taskIndex, result.host, result.status.rawValue, result.module, ms,
                            Value.dict(result.fields).json(), recordedAt.timeIntervalSince1970,
                        ])
                }
            }
        }
    }

    /// Closes a run with its exit code.
    public func finishRun(_ id: Int64, exitCode: Int32) throws {
        try queue.write { db in
            try db.execute(
                sql: "UPDATE runs SET finished_at = ?, exit_code = ? WHERE id = ?",
                arguments: [Date().timeIntervalSince1970, exitCode, id])
        }
    }
}

/// One row for the journal's `tasks` or `results` table.
public enum JournalEntry: Sendable {
    /// A task started, at its position in the run.
    case task(index: Int, name: String, play: String)
    /// One host's result for the task at `taskIndex`.
    case result(taskIndex: Int, result: HostResult, recordedAt: Date)
}

/// What is known about a run when it starts.
public struct JournalRun: Sendable {
    public var startedAt = Date()
    /// `play` or `adhoc`.
    public var kind: String
    /// The command line, with secrets already removed.
    public var command: String
    public var inventory: String
    public var playbook: String?
    public var checkMode = false
    public var limit: String?
    public var tags: String?

    public init(kind: String, command: String, inventory: String, playbook: String? = nil) {
        self.kind = kind
        self.command = command
        self.inventory = inventory
        self.playbook = playbook
    }
}
