import GRDB

/// The journal's tables, versioned with GRDB's migrator so old journals upgrade in place.
enum JournalSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE runs (
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
                    CREATE TABLE tasks (
                        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        task_index INTEGER NOT NULL,
                        name TEXT NOT NULL,
                        play TEXT NOT NULL,
                        PRIMARY KEY (run_id, task_index)
                    );
                    CREATE TABLE results (
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
                    CREATE INDEX results_by_run ON results (run_id, task_index);
                    """)
        }
        return migrator
    }
}
