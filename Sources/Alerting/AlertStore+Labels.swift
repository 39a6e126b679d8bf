import FleetFiles
import Foundation
import GRDB

/// Operators' host labels for fleet learning (`coinsentryctl label`), kept with the alerts so a restart keeps them.
extension AlertStore {
    /// Records a host's label (replacing its previous one).
    public func saveLabel(_ label: HostLabel) throws(AlertingError) {
        try Self.storeCall("label \(label.host)") {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO operator_labels (host, label, note, requested_by, since_us) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (host) DO UPDATE SET label = excluded.label, note = excluded.note,
                        requested_by = excluded.requested_by, since_us = excluded.since_us
                    """, arguments: [label.host, label.label.rawValue, label.note, label.requestedBy,
                                     Self.microseconds(label.time)])
            }
        }
    }

    /// Forgets a host's label; returns whether there was one.
    @discardableResult
    public func removeLabel(host: String) throws(AlertingError) -> Bool {
        try Self.storeCall("remove the label of \(host)") {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM operator_labels WHERE host = ?", arguments: [host])
                return db.changesCount > 0
            }
        }
    }

    /// Every label, by host.
    public func labels() throws(AlertingError) -> [HostLabel] {
        try Self.storeCall("read labels") {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM operator_labels ORDER BY host").map { row in
                    let name: String = row["label"]
                    guard let label = OperatorLabel(rawValue: name) else {
                        throw AlertingError(.store, "the label of \(row["host"] as String) is '\(name)', not "
                                            + OperatorLabel.names)
                    }
                    return HostLabel(host: row["host"], label: label, note: row["note"],
                                     requestedBy: row["requested_by"], time: Self.date(row["since_us"]))
                }
            }
        }
    }
}
