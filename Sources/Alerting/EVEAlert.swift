/// An alert record in the shape of a Suricata EVE JSON `alert` event, so SIEM pipelines that already parse EVE
/// (Filebeat's Suricata module, Wazuh, Splunk apps) take it with little or no change.
///
/// Mapping (fields EVE has, used where they mean the same thing):
/// - `timestamp`: the record's time, RFC 3339 with microseconds in UTC (`2026-05-01T12:00:00.123456Z`).
/// - `event_type`: always `alert`.
/// - `src_ip`: the local host; absent for `watchlist` events, whose host is a Bitcoin address, and `audit` events.
/// - `host`: the sensor's id (EVE's `sensor-name`).
/// - `alert.action`: `blocked` when the record's action is `dropped`, otherwise `allowed`.
/// - `alert.gid` 1, `alert.rev` 1, `alert.signature_id`: 1900001 mining, 1900002 cleared, 1900003 reminder,
///   1900004 blocked, 1900005 unblocked, 1900006 watchlist, 1900007 suspect, 1900008 audit (the local-use range of signature ids).
/// - `alert.signature`: `COINSENTRY` and the event's summary, as `COINSENTRY host 10.0.0.5 is mining …`.
/// - `alert.category`: `Crypto Currency Mining Activity Detected` (Suricata's `coin-mining` class) for host events,
///   `Watched Cryptocurrency Address Activity` for `watchlist`.
/// - `alert.severity`: EVE's 1 (high) to 3 (low): 2 for mining, a mining episode's reminder and blocked; 3 for the
///   others (suspect among them).
/// - `coinsentry`: everything in the record, with its own names (``AlertRecord``'s coding keys) plus `message_id`,
///   and `alert_id`, the alert's row in the sensor's alert store (`coinsentryctl alerts` shows the same id).
public struct EVEAlert: Codable, Hashable, Sendable {
    /// The `alert` object.
    public struct Alert: Codable, Hashable, Sendable {
        /// `allowed` or `blocked`.
        public var action: String
        /// Generator id, always 1.
        public var gid: Int
        /// The event kind's signature id (``EVEAlert/signatureIDs``).
        public var signatureID: Int
        /// Signature revision, always 1.
        public var rev: Int
        /// `COINSENTRY` and the human message.
        public var signature: String
        /// The alert class, as Suricata's classification names it.
        public var category: String
        /// 1 (high) to 3 (low).
        public var severity: Int

        enum CodingKeys: String, CodingKey {
            case action, gid, rev, signature, category, severity
            case signatureID = "signature_id"
        }
    }

    /// The `coinsentry` object: the record's fields.
    public struct Detail: Codable, Hashable, Sendable {
        /// The fields of ``AlertRecord`` under the same names.
        public var event: AlertRecord.Event
        public var level: AlertRecord.Level?
        public var rule: String?
        public var reason: String?
        public var sensor: String
        public var host: String
        public var verdict: String
        public var score: Double
        public var windows: Int
        public var model: String
        public var evidence: [AlertRecord.Evidence]
        public var action: String
        public var requestedBy: String?
        /// The event kind's journald `MESSAGE_ID`, to join with the journal.
        public var messageID: String
        /// The alert's row in the alert store; nil for a record the store does not hold.
        public var alertID: Int64?

        enum CodingKeys: String, CodingKey {
            case event, level, rule, reason, sensor, host, verdict, score, windows, model, evidence, action
            case requestedBy = "requested_by"
            case messageID = "message_id"
            case alertID = "alert_id"
        }
    }

    /// RFC 3339 UTC with microseconds.
    public var timestamp: String
    /// Always `alert`.
    public var eventType: String
    /// The local host, nil for `watchlist` events.
    public var srcIP: String?
    /// The sensor id.
    public var host: String
    /// The EVE `alert` object.
    public var alert: Alert
    /// The whole record.
    public var coinsentry: Detail

    enum CodingKeys: String, CodingKey {
        case timestamp, host, alert, coinsentry
        case eventType = "event_type"
        case srcIP = "src_ip"
    }

    /// The EVE form of a record, with its row `id` in the alert store when it has one.
    public init(_ record: AlertRecord, id: Int64? = nil) {
        let event = record.event
        timestamp = record.rfc3339Time
        eventType = "alert"
        srcIP = [.watchlist, .audit, .fleetRefused].contains(event) ? nil : record.host
        host = record.sensor
        alert = Alert(
            action: record.action == "dropped" ? "blocked" : "allowed", gid: 1,
            signatureID: Self.signatureIDs[event] ?? 1_900_000, rev: 1, signature: "COINSENTRY \(record.summary)",
            category: event == .watchlist ? "Watched Cryptocurrency Address Activity"
                : event == .audit || event == .fleetRefused ? "Sensor Administration"
                : "Crypto Currency Mining Activity Detected",
            severity: record.severity == 4 ? 2 : 3)
        coinsentry = Detail(
            event: event, level: record.level, rule: record.rule, reason: record.reason, sensor: record.sensor, host: record.host, verdict: record.verdict, score: record.score,
            windows: record.windows, model: record.model, evidence: record.evidence, action: record.action,
            requestedBy: record.requestedBy, messageID: event.messageID, alertID: id)
    }

    /// The signature id of each event kind.
    public static let signatureIDs: [AlertRecord.Event: Int] = [
        .mining: 1_900_001, .cleared: 1_900_002, .reminder: 1_900_003, .blocked: 1_900_004, .unblocked: 1_900_005,
        .watchlist: 1_900_006, .suspect: 1_900_007, .audit: 1_900_008, .fleetRefused: 1_900_009,
    ]
}
