import GRDB

/// Each sink's delivery progress, kept beside the alerts it counts through: the highest alert row below which every
/// record has settled for that sink. The store's row ids are the order records were raised and sent in, so what a
/// sink had not settled when the daemon stopped (killed, or stopped with a collector down) is the rows above its
/// progress, delivered again when the daemon starts.
extension AlertStore {
    /// The sink's progress, or nil for a sink the store has never seen.
    public func deliveryProgress(sink: String) throws(AlertingError) -> Int64? {
        try Self.storeCall("read delivery progress of \(sink)") {
            try pool.read { db in
                try Int64.fetchOne(db, sql: "SELECT alert_id FROM sink_progress WHERE sink = ?", arguments: [sink])
            }
        }
    }

    /// Moves the sink's progress to `id` (never back).
    public func recordDelivery(sink: String, upTo id: Int64) throws(AlertingError) {
        try Self.storeCall("record delivery progress of \(sink)") {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO sink_progress (sink, alert_id) VALUES (?, ?)
                    ON CONFLICT (sink) DO UPDATE SET alert_id = max(alert_id, excluded.alert_id)
                    """, arguments: [sink, id])
            }
        }
    }

    /// The highest alert row id, 0 when the store holds no alert.
    public func latestAlertID() throws(AlertingError) -> Int64 {
        try Self.storeCall("read the latest alert") {
            try pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM alerts") ?? 0 }
        }
    }

    /// Alerts with a row id above `id`, in order, at most `limit` of them.
    public func alerts(after id: Int64, limit: Int = 10_000) throws(AlertingError) -> [StoredAlert] {
        try Self.storeCall("read alerts after \(id)") {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM alerts WHERE id > ? ORDER BY id LIMIT ?",
                                 arguments: [id, limit]).map(Self.storedAlert)
            }
        }
    }
}
