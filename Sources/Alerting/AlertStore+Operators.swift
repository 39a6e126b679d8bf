import Foundation
import GRDB

/// What operators say about alerts and hosts: acknowledged and closed alerts, benign marks.
extension AlertStore {
    /// One stored alert by id, or nil.
    public func alert(id: Int64) throws(AlertingError) -> StoredAlert? {
        try Self.storeCall("read alert \(id)") {
            try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM alerts WHERE id = ?", arguments: [id]).map(Self.storedAlert)
            }
        }
    }

    /// Marks an alert seen by `by` at `at`; returns it, or nil when there is no such alert.
    public func acknowledge(id: Int64, by: String, at: Date = Date()) throws(AlertingError) -> StoredAlert? {
        try Self.storeCall("acknowledge alert \(id)") {
            try pool.write { db in
                try db.execute(sql: "UPDATE alerts SET acknowledged_by = ?, acknowledged_us = ? WHERE id = ?",
                               arguments: [by, Self.microseconds(at), id])
            }
        }
        return try alert(id: id)
    }

    /// Marks an alert closed by `by` at `at` (acknowledging it too, when it was not yet); returns it, or nil when there
    /// is no such alert. Ending the host's episode is the daemon's part.
    public func close(id: Int64, by: String, at: Date = Date()) throws(AlertingError) -> StoredAlert? {
        try Self.storeCall("close alert \(id)") {
            try pool.write { db in
                try db.execute(sql: """
                    UPDATE alerts SET closed_by = ?, closed_us = ?, acknowledged_by = COALESCE(acknowledged_by, ?),
                        acknowledged_us = COALESCE(acknowledged_us, ?) WHERE id = ?
                    """, arguments: [by, Self.microseconds(at), by, Self.microseconds(at), id])
            }
        }
        return try alert(id: id)
    }

    /// Records a benign mark (replacing one for the same target).
    public func saveBenign(_ mark: BenignMark) throws(AlertingError) {
        try Self.storeCall("mark \(mark.target) benign") {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO benign_marks (target, reason, requested_by, since_us, until_us) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (target) DO UPDATE SET reason = excluded.reason, requested_by = excluded.requested_by,
                        since_us = excluded.since_us, until_us = excluded.until_us
                    """, arguments: [mark.target, mark.reason, mark.requestedBy, Self.microseconds(mark.since),
                                     mark.until.map(Self.microseconds)])
            }
        }
    }

    /// Forgets a benign mark; returns whether there was one.
    @discardableResult
    public func removeBenign(target: String) throws(AlertingError) -> Bool {
        try Self.storeCall("remove benign mark of \(target)") {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM benign_marks WHERE target = ?", arguments: [target])
                return db.changesCount > 0
            }
        }
    }

    /// Every benign mark, by target (lapsed ones included; `BenignMark.holds(at:)` tells).
    public func benignMarks() throws(AlertingError) -> [BenignMark] {
        try Self.storeCall("read benign marks") {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM benign_marks ORDER BY target").map { row in
                    BenignMark(target: row["target"], reason: row["reason"], requestedBy: row["requested_by"],
                               since: Self.date(row["since_us"]), until: (row["until_us"] as Int64?).map(Self.date))
                }
            }
        }
    }

    /// Replaces the evidence every host holds (JSON per host, the sensor's own format) in one transaction.
    public func saveHostEvidence(_ evidence: [String: String], at: Date = Date()) throws(AlertingError) {
        try Self.storeCall("save host evidence") {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM host_evidence")
                for (host, json) in evidence.sorted(by: { $0.key < $1.key }) {
                    try db.execute(sql: "INSERT INTO host_evidence (host, evidence, updated_us) VALUES (?, ?, ?)",
                                   arguments: [host, json, Self.microseconds(at)])
                }
            }
        }
    }

    /// The evidence hosts held when it was last saved, by host.
    public func hostEvidence() throws(AlertingError) -> [String: String] {
        try Self.storeCall("read host evidence") {
            try pool.read { db in
                Dictionary(try Row.fetchAll(db, sql: "SELECT host, evidence FROM host_evidence").map {
                    ($0["host"] as String, $0["evidence"] as String)
                }, uniquingKeysWith: { first, _ in first })
            }
        }
    }
}
