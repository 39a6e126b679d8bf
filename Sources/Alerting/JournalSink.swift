/// Sends alerts to journald as structured entries, so `journalctl COINSENTRY_HOST=10.0.0.5` or
/// `journalctl MESSAGE_ID=3c0db4e306a745df8fa6abc95f48d5b2` finds them.
///
/// Fields: `MESSAGE` (``AlertRecord/summary``), `MESSAGE_ID` (``AlertRecord/Event/messageID``), `PRIORITY`
/// (``AlertRecord/Event/severity``), `SYSLOG_IDENTIFIER`, and `COINSENTRY_EVENT`, `COINSENTRY_SENSOR`,
/// `COINSENTRY_HOST`, `COINSENTRY_VERDICT`, `COINSENTRY_SCORE`, `COINSENTRY_WINDOWS`, `COINSENTRY_MODEL`,
/// `COINSENTRY_EVIDENCE` (a JSON array), `COINSENTRY_ACTION`, `COINSENTRY_TIME` (RFC 3339, the decision's time) and,
/// for operator actions, `COINSENTRY_REQUESTED_BY`; one `COINSENTRY_EVIDENCE_KIND` per kind of evidence in the record,
/// so `journalctl COINSENTRY_EVIDENCE_KIND=stratum` finds alerts that rest on clear-text stratum.
public struct JournalSink: AlertSink {
    public let name = "journald"
    public let counters = SinkCounters()
    /// The `SYSLOG_IDENTIFIER` of every entry.
    public let identifier: String

    /// Creates a journald sink.
    /// - Parameter identifier: `SYSLOG_IDENTIFIER`, `coinsentryd` unless a test or a second instance says otherwise.
    public init(identifier: String = "coinsentryd") {
        self.identifier = identifier
    }

    /// The journal fields for a record, in the order they are sent.
    public func fields(for record: AlertRecord) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = [
            ("MESSAGE", record.summary),
            ("MESSAGE_ID", record.event.messageID),
            ("PRIORITY", String(record.severity)),
            ("SYSLOG_IDENTIFIER", identifier),
            ("COINSENTRY_EVENT", record.event.rawValue),
            ("COINSENTRY_SENSOR", record.sensor),
            ("COINSENTRY_HOST", record.host),
            ("COINSENTRY_VERDICT", record.verdict),
            ("COINSENTRY_SCORE", AlertRecord.formatScore(record.score)),
            ("COINSENTRY_WINDOWS", String(record.windows)),
            ("COINSENTRY_MODEL", record.model),
            ("COINSENTRY_EVIDENCE", record.evidenceJSON),
            ("COINSENTRY_ACTION", record.action),
            ("COINSENTRY_TIME", record.rfc3339Time),
        ]
        if let requestedBy = record.requestedBy { fields.append(("COINSENTRY_REQUESTED_BY", requestedBy)) }
        if let level = record.level { fields.append(("COINSENTRY_LEVEL", level.rawValue)) }
        if let rule = record.rule { fields.append(("COINSENTRY_RULE", rule)) }
        if let reason = record.reason { fields.append(("COINSENTRY_REASON", reason)) }
        var kinds = [String]()
        for piece in record.evidence where !kinds.contains(piece.kind) { kinds.append(piece.kind) }
        for kind in kinds { fields.append(("COINSENTRY_EVIDENCE_KIND", kind)) }
        return fields
    }

    /// Sends the record to journald; a failure is thrown, for the dispatcher to count as a drop.
    public func deliver(_ record: AlertRecord) async throws(AlertingError) {
        try Journal.send(fields(for: record))
        counters.countDelivered()
    }
}
