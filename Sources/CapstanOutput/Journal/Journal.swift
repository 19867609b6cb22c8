import CapstanBasics
import CapstanResults
import Foundation
import GRDB
import GRDBSQLite

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
    /// `$HOME/.local/state/capstan/journal.sqlite`.
    public static var defaultPath: String { defaultPath(environment: ProcessInfo.processInfo.environment) }

    /// `defaultPath` for the given environment. `$HOME` wins over the password database (as for
    /// ssh and Ansible: a user who sets `HOME` means it); an `XDG_STATE_HOME` that is not absolute is
    /// ignored, as the XDG specification says.
    public static func defaultPath(environment env: [String: String]) -> String {
        if let explicit = env["CAPSTAN_JOURNAL"], !explicit.isEmpty { return explicit }
        let state: String
        if let xdg = env["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            state = xdg
        } else {
            let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            state = (home as NSString).appendingPathComponent(".local/state")
        }
        return (state as NSString).appendingPathComponent("capstan/journal.sqlite")
    }

    /// How long a writer waits for another process's write to finish before giving up. Runs started
    /// together share the file; each commits a batch in milliseconds, so this is only reached when
    /// something holds the file far longer than a run would.
    static let busyTimeout: TimeInterval = 15

    /// Opens (or creates) the journal at `path` (relative to the working directory, `~` expanded) and
    /// brings its schema up to date. Several processes may open and write the same file at once.
    public init(path: String = Journal.defaultPath) throws {
        let path = Self.absolute(path)
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw JournalError(path: path, reason: "cannot create the directory \(directory): \(Self.reason(error))")
        }
        // Made 0600 before SQLite opens it (O_EXCL: another process may be creating it right now).
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 { close(fd) }
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeout)
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try Self.useWriteAheadLog(queue)
            try JournalSchema.create(in: queue)
        } catch {
            throw JournalError(path: path, reason: Self.reason(error) + Self.spaceNote(directory))
        }
    }

    /// " (No space left on device)" when the journal's file system is full, which SQLite, opening a
    /// file whose shared-memory index it cannot grow, reports only as "disk I/O error".
    static func spaceNote(_ directory: String) -> String {
        var info = statvfs()
        guard statvfs(directory, &info) == 0, UInt64(info.f_bavail) * UInt64(info.f_frsize) < 64 * 1024 else {
            return ""
        }
        return " (\(String(cString: strerror(ENOSPC))))"
    }

    /// Switches the file to write-ahead logging (once per file: the mode is stored in it), so readers
    /// never wait for writers and a commit is one append. Another process holding the file can make the
    /// switch fail for a moment; a file that stays in rollback mode still works, only slower.
    private static func useWriteAheadLog(_ queue: DatabaseQueue) throws {
        try queue.writeWithoutTransaction { db in
            try explaining(db) {
                for attempt in 0..<20 {
                    if (try? String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")) == "wal" { break }
                    usleep(useconds_t(10_000 * (attempt + 1)))
                }
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
    }

    /// `path` made absolute against the working directory, with `~` expanded.
    static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        return (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded)
    }

    /// Runs `work` on `db`, adding the system's reason to SQLite's error: a full disk is often only
    /// "disk I/O error" to SQLite, "No space left on device" to the system.
    static func explaining<T>(_ db: Database, _ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch let error as DatabaseError {
            let code = sqlite3_system_errno(db.sqliteConnection)
            let message = error.message ?? "SQLite error \(error.resultCode.rawValue)"
            throw Explained(reason: code == 0 ? message : "\(message) (\(String(cString: strerror(code))))")
        }
    }

    /// An SQLite error with the system's reason added.
    struct Explained: Error {
        var reason: String
    }

    /// SQLite's or the system's own words for `error` (`database or disk is full`, `Permission denied`).
    static func reason(_ error: Error) -> String {
        if let explained = error as? Explained { return explained.reason }
        if let db = error as? DatabaseError { return db.message ?? "\(db.resultCode)" }
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return "\(error)"
    }

    /// Starts a run and returns its id.
    public func beginRun(_ run: JournalRun) throws -> Int64 {
        try writing { db in
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

    /// Records that a task started: `index` is its position in the run (every play counted, so that
    /// a resumed run can skip what was done), `playIndex` its play's, from 1.
    public func recordTask(run: Int64, index: Int, name: String, play: String, playIndex: Int) throws {
        try record([.task(index: index, name: name, play: play, playIndex: playIndex)], run: run)
    }

    /// Records one host's result for a task.
    public func recordResult(run: Int64, taskIndex: Int, result: HostResult) throws {
        try record([.result(taskIndex: taskIndex, result: result, recordedAt: Date())], run: run)
    }

    /// Records several tasks and results of a run in one transaction (one sync to disk for all).
    public func record(_ entries: [JournalEntry], run: Int64) throws {
        try writing { db in
            for entry in entries {
                switch entry {
                case .task(let index, let name, let play, let playIndex):
                    try db.execute(
                        sql: """
                            INSERT OR REPLACE INTO tasks (run_id, task_index, name, play, play_index)
                            VALUES (?, ?, ?, ?, ?)
                            """,
                        arguments: [run, index, name, play, playIndex])
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
        try writing { db in
            try db.execute(
                sql: "UPDATE runs SET finished_at = ?, exit_code = ? WHERE id = ?",
                arguments: [Date().timeIntervalSince1970, exitCode, id])
        }
    }
}

extension Journal {
    /// One write transaction, its error carrying the journal's path and SQLite's reason.
    fileprivate func writing<T>(_ work: (Database) throws -> T) throws -> T {
        do {
            return try queue.writeWithoutTransaction { db in
                var value: T?
                // IMMEDIATE takes the write lock first (waiting up to the busy timeout), so a transaction
                // never has to upgrade a read lock, which SQLite refuses without waiting.
                try Self.explaining(db) {
                    try db.inTransaction(.immediate) {
                        value = try work(db)
                        return .commit
                    }
                }
                return value!
            }
        } catch {
            let directory = (path as NSString).deletingLastPathComponent
            throw JournalError(path: path, reason: Self.reason(error) + Self.spaceNote(directory))
        }
    }
}

/// The journal could not be opened or written: where, and the reason in the system's words.
public struct JournalError: Error, CustomStringConvertible {
    /// The journal file.
    public var path: String
    /// SQLite's or the system's explanation (`database or disk is full`).
    public var reason: String

    public var description: String { "\(path): \(reason)" }
}

/// One row for the journal's `tasks` or `results` table.
public enum JournalEntry: Sendable {
    /// A task started, at its position in the run (counted over every play), in its play (from 1;
    /// 0 for the row an ad-hoc run's results belong to).
    case task(index: Int, name: String, play: String, playIndex: Int)
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
