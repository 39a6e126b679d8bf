import Foundation
import GRDB

/// The alert history and host state in SQLite (through GRDB), under the daemon's state directory.
///
/// The store decides whether an event is raised at all (``raise(_:)``): a host with an open *mining* alert does not
/// raise it again, not even after a restart, and a clearing or a reminder needs an open alert. The file is created
/// with mode 0600 and used in WAL mode, so the control socket can read while the daemon writes.
public final class AlertStore: Sendable {
    /// What ``raise(_:)`` decided.
    public enum Outcome: Hashable, Sendable {
        /// The record is new: it was stored with this id and should go to the sinks.
        case raised(id: Int64)
        /// The record repeats or contradicts the open state (a second *mining*, a *cleared* with nothing open) and
        /// was neither stored nor should be sent; the open alert's id when there is one.
        case suppressed(openAlertID: Int64?)
    }

    /// Which kind of condition an open alert tracks.
    public enum OpenKind: String, Hashable, Sendable, CaseIterable {
        /// A host's episode: opened by `suspect` or `mining` (a `mining` in a suspect episode raises its level and
        /// becomes the open alert), kept by `reminder`, closed by `cleared`.
        case mining
        /// Opened by `blocked`, closed by `unblocked`.
        case blocked
    }

    /// The database file's name inside the state directory.
    public static let fileName = "alerts.sqlite"

    /// The database file.
    public let path: String
    let pool: DatabasePool

    /// Opens the store in `directory`, creating the directory (mode 0700) and the file (mode 0600) when missing, and
    /// applies pending migrations.
    /// - Throws: ``AlertingError/Code/store`` when the directory or database cannot be created or opened.
    public init(directory: String) throws(AlertingError) {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(Self.fileName).path
        self.path = path
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                      attributes: [.posixPermissions: 0o700])
            // SQLite gives its -wal and -shm files the main file's permissions, so creating it 0600 first covers all.
            if !files.fileExists(atPath: path) {
                guard files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    throw AlertingError(.store, "could not create \(path); is \(directory) writable?")
                }
            }
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch let error as AlertingError {
            throw error
        } catch {
            throw AlertingError(.store, "could not prepare \(path): \(error)")
        }
        pool = try Self.storeCall("open \(path)") {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(5)
            let pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
            return pool
        }
    }

    /// Stores a record if it is new for its host (see ``Outcome``) and updates the open alerts, in one transaction.
    ///
    /// `suspect` and `mining` open a host's episode unless one is open; a `mining` in an episode opened by `suspect`
    /// is raised (the level rose) and becomes the episode's open alert; `reminder` needs one open; `cleared` closes
    /// it. `blocked` and `unblocked` do the same for blocks. `watchlist`, `audit` and `fleet-refused` records are
    /// always raised.
    public func raise(_ record: AlertRecord) throws(AlertingError) -> Outcome {
        try Self.storeCall("raise \(record.event.rawValue) alert for \(record.host)") {
            try pool.write { db in
                let kind: OpenKind? = switch record.event {
                case .mining, .suspect, .reminder, .cleared: .mining
                case .blocked, .unblocked: .blocked
                case .watchlist, .audit, .fleetRefused: nil
                }
                guard let kind else { return .raised(id: try Self.insert(record, db)) }
                let open = try Int64.fetchOne(
                    db, sql: "SELECT alert_id FROM open_alerts WHERE host = ? AND kind = ?",
                    arguments: [record.host, kind.rawValue])
                switch record.event {
                case .mining, .suspect, .blocked:
                    if let open {
                        let openEvent = try String.fetchOne(db, sql: "SELECT event FROM alerts WHERE id = ?",
                                                            arguments: [open])
                        guard record.event == .mining, openEvent == AlertRecord.Event.suspect.rawValue else {
                            return .suppressed(openAlertID: open)
                        }
                        let id = try Self.insert(record, db)
                        try db.execute(sql: "UPDATE open_alerts SET alert_id = ? WHERE host = ? AND kind = ?",
                                       arguments: [id, record.host, kind.rawValue])
                        return .raised(id: id)
                    }
                    let id = try Self.insert(record, db)
                    try db.execute(sql: "INSERT INTO open_alerts (host, kind, alert_id) VALUES (?, ?, ?)",
                                   arguments: [record.host, kind.rawValue, id])
                    return .raised(id: id)
                case .reminder:
                    guard open != nil else { return .suppressed(openAlertID: nil) }
                    return .raised(id: try Self.insert(record, db))
                case .cleared, .unblocked, .watchlist, .audit, .fleetRefused:
                    guard open != nil else { return .suppressed(openAlertID: nil) }
                    let id = try Self.insert(record, db)
                    try db.execute(sql: "DELETE FROM open_alerts WHERE host = ? AND kind = ?",
                                   arguments: [record.host, kind.rawValue])
                    return .raised(id: id)
                }
            }
        }
    }

    /// The open alert of `kind` for a host, if any.
    public func openAlert(host: String, kind: OpenKind = .mining) throws(AlertingError) -> StoredAlert? {
        try Self.storeCall("read open alert for \(host)") {
            try pool.read { db in
                try Row.fetchOne(db, sql: """
                    SELECT alerts.* FROM alerts JOIN open_alerts ON open_alerts.alert_id = alerts.id
                    WHERE open_alerts.host = ? AND open_alerts.kind = ?
                    """, arguments: [host, kind.rawValue]).map(Self.storedAlert)
            }
        }
    }

    /// Every open alert of `kind`, oldest first.
    public func openAlerts(kind: OpenKind = .mining) throws(AlertingError) -> [StoredAlert] {
        try Self.storeCall("read open alerts") {
            try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT alerts.* FROM alerts JOIN open_alerts ON open_alerts.alert_id = alerts.id
                    WHERE open_alerts.kind = ? ORDER BY alerts.id
                    """, arguments: [kind.rawValue]).map(Self.storedAlert)
            }
        }
    }

    /// Alerts at or after `since` (and at or before `until`), only those of `host`, `level`, `rule` and `event` when
    /// given: the latest `limit` of them, oldest first. The filters are the query's (indexed by time and by host), so
    /// a busy store's older alerts never crowd out the ones asked for.
    public func alerts(since: Date, until: Date? = nil, host: String? = nil, level: AlertRecord.Level? = nil,
                       rule: String? = nil, event: AlertRecord.Event? = nil,
                       limit: Int = 10_000) throws(AlertingError) -> [StoredAlert] {
        let (condition, arguments) = Self.condition(since: since, until: until, host: host, level: level, rule: rule,
                                                    event: event)
        let sql = """
            SELECT * FROM (SELECT * FROM alerts WHERE \(condition) ORDER BY time_us DESC, id DESC LIMIT ?)
            ORDER BY time_us, id
            """
        return try Self.storeCall("read alerts") {
            try pool.read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments + [limit]).map(Self.storedAlert)
            }
        }
    }

    /// The alerts `alerts(since:until:host:level:rule:event:limit:)` selects, grouped by host and rule in the query
    /// (EveBox's view of Suricata's alerts): the `limit` groups with the latest alerts, latest first.
    public func alertGroups(since: Date, until: Date? = nil, host: String? = nil, level: AlertRecord.Level? = nil,
                            rule: String? = nil, event: AlertRecord.Event? = nil,
                            limit: Int = 10_000) throws(AlertingError) -> [AlertGroupSummary] {
        let (condition, arguments) = Self.condition(since: since, until: until, host: host, level: level, rule: rule,
                                                    event: event)
        // The groups first (one pass over the selected alerts, by the time or host index), then for the `limit`
        // groups kept, each one's latest alert and the level of its latest alert that has one (by the host index).
        let sql = """
            WITH groups AS (
                SELECT host, rule, COUNT(*) AS count, MIN(time_us) AS first_us, MAX(time_us) AS last_us,
                       SUM(acknowledged_us IS NULL AND closed_us IS NULL) AS unhandled
                FROM alerts WHERE \(condition)
                GROUP BY host, rule ORDER BY last_us DESC, MAX(id) DESC LIMIT ?),
            latest AS (
                SELECT groups.*,
                       (SELECT id FROM alerts WHERE host = groups.host AND rule IS groups.rule AND \(condition)
                        ORDER BY time_us DESC, id DESC LIMIT 1) AS latest_id,
                       (SELECT level FROM alerts WHERE host = groups.host AND rule IS groups.rule AND \(condition)
                        AND level IS NOT NULL ORDER BY time_us DESC, id DESC LIMIT 1) AS level
                FROM groups)
            SELECT latest.*, alerts.event AS latest_event FROM latest JOIN alerts ON alerts.id = latest.latest_id
            ORDER BY latest.last_us DESC, latest.latest_id DESC
            """
        let allArguments = arguments + [limit] + arguments + arguments
        return try Self.storeCall("group alerts") {
            try pool.read { db in
                try Row.fetchAll(db, sql: sql, arguments: allArguments).map { row in
                    let eventName: String = row["latest_event"]
                    guard let event = AlertRecord.Event(rawValue: eventName) else {
                        throw AlertingError(.store, "alert \(row["latest_id"] as Int64) has unknown event \(eventName)")
                    }
                    let level = (row["level"] as String?).flatMap { AlertRecord.Level(rawValue: $0) }
                    return AlertGroupSummary(
                        host: row["host"], rule: row["rule"], level: level, count: row["count"],
                        firstSeen: Self.date(row["first_us"]), lastSeen: Self.date(row["last_us"]),
                        latestID: row["latest_id"], latestEvent: event, unhandled: row["unhandled"])
                }
            }
        }
    }

    /// The `WHERE` condition of an alert query and its arguments.
    private static func condition(since: Date, until: Date?, host: String?, level: AlertRecord.Level?, rule: String?,
                                  event: AlertRecord.Event?) -> (String, StatementArguments) {
        var conditions = ["time_us >= ?"]
        var arguments: StatementArguments = [microseconds(since)]
        let optional: [(String, (any DatabaseValueConvertible)?)] = [
            ("time_us <= ?", until.map(microseconds)), ("host = ?", host), ("level = ?", level?.rawValue),
            ("rule = ?", rule), ("event = ?", event?.rawValue),
        ]
        for case let (sql, value?) in optional {
            conditions.append(sql)
            arguments += [value]
        }
        return (conditions.joined(separator: " AND "), arguments)
    }

    /// Saves host states (insert or replace by host) in one transaction.
    public func saveHostStates(_ states: [HostState]) throws(AlertingError) {
        try Self.storeCall("save host state") {
            try pool.write { db in
                for state in states {
                    try db.execute(sql: """
                        INSERT INTO host_state (host, verdict, score, windows, updated_us, decisions)
                        VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (host) DO UPDATE SET verdict = excluded.verdict, score = excluded.score,
                            windows = excluded.windows, updated_us = excluded.updated_us,
                            decisions = excluded.decisions
                        """, arguments: [state.host, state.verdict, state.score, state.windows,
                                         Self.microseconds(state.updatedAt),
                                         state.decisions.flatMap { try? JSONEncoder().encode($0) }
                                             .map { String(decoding: $0, as: UTF8.self) }])
                }
            }
        }
    }

    /// Removes the saved state of hosts the daemon no longer tracks.
    public func removeHostStates(hosts: [String]) throws(AlertingError) {
        try Self.storeCall("remove host state") {
            try pool.write { db in
                for host in hosts { try db.execute(sql: "DELETE FROM host_state WHERE host = ?", arguments: [host]) }
            }
        }
    }

    /// Every saved host state, by host.
    public func hostStates() throws(AlertingError) -> [HostState] {
        try Self.storeCall("read host state") {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM host_state ORDER BY host").map { row in
                    HostState(host: row["host"], verdict: row["verdict"], score: row["score"], windows: row["windows"],
                              updatedAt: Self.date(row["updated_us"]),
                              decisions: (row["decisions"] as String?).flatMap {
                                  try? JSONDecoder().decode([Double].self, from: Data($0.utf8))
                              })
                }
            }
        }
    }

    /// Closes the database; later calls fail. The daemon calls it last on shutdown (deinit closes it too).
    public func close() throws(AlertingError) {
        try Self.storeCall("close \(path)") { try pool.close() }
    }

    // MARK: Rows

    private static func insert(_ record: AlertRecord, _ db: Database) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO alerts (time_us, sensor, event, host, verdict, score, windows, model, evidence, action,
                                requested_by, level, rule, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [microseconds(record.time), record.sensor, record.event.rawValue, record.host,
                             record.verdict, record.score, record.windows, record.model, record.evidenceJSON,
                             record.action, record.requestedBy, record.level?.rawValue, record.rule, record.reason])
        return db.lastInsertedRowID
    }

    static func storedAlert(_ row: Row) throws -> StoredAlert {
        let eventName: String = row["event"]
        guard let event = AlertRecord.Event(rawValue: eventName) else {
            throw AlertingError(.store, "alert \(row["id"] as Int64) has unknown event \(eventName)")
        }
        let evidenceText: String = row["evidence"]
        let evidence = try JSONDecoder().decode([AlertRecord.Evidence].self, from: Data(evidenceText.utf8))
        let record = AlertRecord(
            time: date(row["time_us"]), sensor: row["sensor"], event: event, host: row["host"],
            verdict: row["verdict"], score: row["score"], windows: row["windows"], model: row["model"],
            evidence: evidence, action: row["action"], requestedBy: row["requested_by"],
            level: (row["level"] as String?).flatMap(AlertRecord.Level.init(rawValue:)), rule: row["rule"],
            reason: row["reason"])
        return StoredAlert(id: row["id"], record: record, acknowledgedBy: row["acknowledged_by"],
                           acknowledgedAt: (row["acknowledged_us"] as Int64?).map(date), closedBy: row["closed_by"],
                           closedAt: (row["closed_us"] as Int64?).map(date))
    }

    /// Microseconds since 1970, as stored.
    static func microseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1e6).rounded()) }

    static func date(_ microseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(microseconds) / 1e6) }

    /// Runs a GRDB call, turning its error into an ``AlertingError`` that names what was being done.
    static func storeCall<T>(_ what: String, _ body: () throws -> T) throws(AlertingError) -> T {
        do {
            return try body()
        } catch let error as AlertingError {
            throw error
        } catch {
            throw AlertingError(.store, "alert store: \(what) failed: \(error)")
        }
    }
}
