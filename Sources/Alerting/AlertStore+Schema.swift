import GRDB

extension AlertStore {
    /// The schema's migrations, applied in order by GRDB's `DatabaseMigrator`; each runs once per database.
    ///
    /// Column types are plain SQL that PostgreSQL also takes (`TEXT`, `BIGINT`, `INTEGER`, `DOUBLE PRECISION`);
    /// times are microseconds since 1970 in UTC. The one SQLite-only phrase is `INTEGER PRIMARY KEY AUTOINCREMENT`,
    /// which in PostgreSQL is `BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY`.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: alerts, open alerts, host state") { db in
            try db.execute(sql: """
                CREATE TABLE alerts (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    time_us BIGINT NOT NULL,
                    sensor TEXT NOT NULL,
                    event TEXT NOT NULL,
                    host TEXT NOT NULL,
                    verdict TEXT NOT NULL,
                    score DOUBLE PRECISION NOT NULL,
                    windows INTEGER NOT NULL,
                    model TEXT NOT NULL,
                    evidence TEXT NOT NULL,
                    action TEXT NOT NULL,
                    requested_by TEXT
                );
                CREATE INDEX alerts_by_time ON alerts (time_us);
                CREATE INDEX alerts_by_host ON alerts (host, time_us);
                CREATE TABLE open_alerts (
                    host TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    alert_id BIGINT NOT NULL REFERENCES alerts (id),
                    PRIMARY KEY (host, kind)
                );
                CREATE TABLE host_state (
                    host TEXT PRIMARY KEY,
                    verdict TEXT NOT NULL,
                    score DOUBLE PRECISION NOT NULL,
                    windows INTEGER NOT NULL,
                    updated_us BIGINT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2: inline blocks and allowlist") { db in
            try db.execute(sql: """
                CREATE TABLE inline_blocks (
                    host TEXT PRIMARY KEY,
                    scope TEXT NOT NULL,
                    remotes TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    requested_by TEXT NOT NULL,
                    since_us BIGINT NOT NULL
                );
                CREATE TABLE inline_allowlist (
                    host TEXT PRIMARY KEY,
                    requested_by TEXT NOT NULL,
                    since_us BIGINT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3: alert levels, rules and clearing reasons") { db in
            try db.execute(sql: """
                ALTER TABLE alerts ADD COLUMN level TEXT;
                ALTER TABLE alerts ADD COLUMN rule TEXT;
                ALTER TABLE alerts ADD COLUMN reason TEXT;
                """)
        }
        migrator.registerMigration("v4: acknowledged and closed alerts, benign marks") { db in
            try db.execute(sql: """
                ALTER TABLE alerts ADD COLUMN acknowledged_by TEXT;
                ALTER TABLE alerts ADD COLUMN acknowledged_us BIGINT;
                ALTER TABLE alerts ADD COLUMN closed_by TEXT;
                ALTER TABLE alerts ADD COLUMN closed_us BIGINT;
                CREATE TABLE benign_marks (
                    target TEXT PRIMARY KEY,
                    reason TEXT NOT NULL,
                    requested_by TEXT NOT NULL,
                    since_us BIGINT NOT NULL,
                    until_us BIGINT
                );
                """)
        }
        migrator.registerMigration("v5: evidence and votes held by hosts") { db in
            try db.execute(sql: """
                CREATE TABLE host_evidence (
                    host TEXT PRIMARY KEY,
                    evidence TEXT NOT NULL,
                    updated_us BIGINT NOT NULL
                );
                ALTER TABLE host_state ADD COLUMN decisions TEXT;
                """)
        }
        migrator.registerMigration("v6: operators' host labels") { db in
            try db.execute(sql: """
                CREATE TABLE operator_labels (
                    host TEXT PRIMARY KEY,
                    label TEXT NOT NULL,
                    note TEXT,
                    requested_by TEXT NOT NULL,
                    since_us BIGINT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v7: each sink's delivery progress") { db in
            try db.execute(sql: """
                CREATE TABLE sink_progress (
                    sink TEXT PRIMARY KEY,
                    alert_id INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v8: alerts grouped by host and rule from an index") { db in
            // Covers what grouping counts (`alertGroups`), so the groups come from the index alone, in group order.
            try db.execute(sql: """
                CREATE INDEX alerts_by_host_rule ON alerts (host, rule, time_us, acknowledged_us, closed_us);
                """)
        }
        return migrator
    }
}
