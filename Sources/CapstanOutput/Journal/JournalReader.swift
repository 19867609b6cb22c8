import Foundation
import GRDB

/// Reading the journal back for `capstan runs` and `capstan runs show ID`.
extension Journal {
    /// One line of `capstan runs`.
    public struct RunSummary: Sendable, Equatable {
        public var id: Int64
        public var startedAt: Date
        public var duration: Double?
        public var kind: String
        public var command: String
        public var exitCode: Int32?
        public var hosts: Int
        public var changed: Int
        public var failed: Int
        public var unreachable: Int
    }

    /// One host's result as recorded.
    public struct RecordedResult: Sendable, Equatable {
        /// The task's position in the run.
        public var taskIndex: Int
        public var taskName: String
        /// The task's play, counted from 1; nil in journals written before plays were recorded.
        public var playIndex: Int?
        /// The play's name (`PLAY [name]`), empty when not recorded.
        public var playName: String
        public var host: String
        public var status: String
        public var durationMs: Double
        public var resultJSON: String
    }

    /// The most recent runs first.
    public func runs(limit: Int = 20) throws -> [RunSummary] {
        try queue.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.id, r.started_at, r.finished_at, r.kind, r.command, r.exit_code,
                        COUNT(DISTINCT s.host) AS hosts,
                        SUM(s.status = 'changed') AS changed,
                        SUM(s.status = 'failed') AS failed,
                        SUM(s.status = 'unreachable') AS unreachable
                    FROM runs r LEFT JOIN results s ON s.run_id = r.id
                    GROUP BY r.id ORDER BY r.id DESC LIMIT ?
                    """, arguments: [limit])
            return rows.map { row in
                let started: Double = row["started_at"]
                let finished: Double? = row["finished_at"]
                return RunSummary(
                    id: row["id"], startedAt: Date(timeIntervalSince1970: started),
                    duration: finished.map { $0 - started }, kind: row["kind"], command: row["command"],
                    exitCode: row["exit_code"], hosts: row["hosts"], changed: row["changed"] ?? 0,
                    failed: row["failed"] ?? 0, unreachable: row["unreachable"] ?? 0)
            }
        }
    }

    /// Every result of one run in the order recorded; nil when there is no such run.
    public func results(ofRun id: Int64) throws -> (RunSummary, [RecordedResult])? {
        guard let summary = try runs(limit: Int.max).first(where: { $0.id == id }) else { return nil }
        let results = try queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.task_index, COALESCE(t.name, '') AS task_name, t.play_index,
                        COALESCE(t.play, '') AS play_name, s.host, s.status, s.duration_ms, s.result_json
                    FROM results s LEFT JOIN tasks t ON t.run_id = s.run_id AND t.task_index = s.task_index
                    WHERE s.run_id = ? ORDER BY s.id
                    """, arguments: [id]
            ).map { row in
                RecordedResult(
                    taskIndex: row["task_index"], taskName: row["task_name"], playIndex: row["play_index"],
                    playName: row["play_name"], host: row["host"],
                    status: row["status"], durationMs: row["duration_ms"], resultJSON: row["result_json"])
            }
        }
        return (summary, results)
    }
}
