import GRDB

/// The journal's tables. Runs started together may open a new file at the same moment, so the schema
/// is made inside one IMMEDIATE transaction (one creator at a time; the others wait, then find the
/// tables there) with `IF NOT EXISTS`, and versioned with `PRAGMA user_version`: a later version adds
/// a step to `steps`, applied under the same lock. Journals made by the earlier GRDB migrator hold the
/// version-1 tables with `user_version` 0, which the first step accepts as they are.
enum JournalSchema {
    /// Each schema version's statements, in order; the file's `user_version` counts those applied.
    static let steps: [String] = [
        """
        CREATE TABLE IF NOT EXISTS runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at REAL NOT NULL,
            finished_at REAL,
            kind TEXT NOT NULL,
            command TEXT NOT NULL,
            inventory TEXT NOT NULL,
            playbook TEXT,
            check_mode INTEGER NOT NULL DEFAULT 0,
            limit_pattern TEXT,
            tags TEXT,
            exit_code INTEGER
        );
        CREATE TABLE IF NOT EXISTS tasks (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            task_index INTEGER NOT NULL,
            name TEXT NOT NULL,
            play TEXT NOT NULL,
            PRIMARY KEY (run_id, task_index)
        );
        CREATE TABLE IF NOT EXISTS results (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            task_index INTEGER NOT NULL,
            host TEXT NOT NULL,
            status TEXT NOT NULL,
            module TEXT NOT NULL,
            duration_ms REAL NOT NULL,
            result_json TEXT NOT NULL,
            recorded_at REAL NOT NULL
        );
        CREATE INDEX IF NOT EXISTS results_by_run ON results (run_id, task_index);
        """,
        // Version 2: tasks are numbered over the whole run and say which play they belong to. Version-1
        // rows keep a NULL play (their numbers restarted with each play, so a later play's task could
        // replace an earlier one's row: what is left of them reads as it was).
        """
        ALTER TABLE tasks ADD COLUMN play_index INTEGER;
        """,
    ]

    /// Brings the file's schema to the latest version; safe to call from many processes at once.
    static func create(in queue: DatabaseQueue) throws {
        // Most opens find the schema current: a read, no write lock.
        let current = try queue.read { db in
            try Journal.explaining(db) { try Int.fetchOne(db, sql: "PRAGMA user_version") }
        }
        if current == steps.count { return }
        try queue.writeWithoutTransaction { db in
            try Journal.explaining(db) {
                try db.inTransaction(.immediate) {
                    let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                    for step in steps.dropFirst(version) { try db.execute(sql: step) }
                    if version < steps.count { try db.execute(sql: "PRAGMA user_version = \(steps.count)") }
                    return .commit
                }
            }
        }
    }
}
