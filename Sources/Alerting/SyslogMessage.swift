import Foundation

/// Formats alert records as RFC 5424 syslog messages with structured data.
///
/// `<PRI>1 TIMESTAMP HOSTNAME coinsentryd PROCID MSGID [coinsentry@32473 …] BOM MESSAGE`, where MSGID is the event
/// (`mining`, `cleared`…) and the SD element carries every field of the record as a PARAM (`sensor`, `event`, `host`,
/// `verdict`, `score`, `windows`, `model`, `action`, `evidence` as JSON, `requested_by` when set, `message_id`).
/// 32473 is the private enterprise number RFC 5612 reserves for documentation; a site with its own number sets
/// ``enterpriseNumber``.
public struct SyslogMessage: Sendable {
    /// The facility in PRI.
    public var facility: SyslogFacility
    /// HOSTNAME: the sensor machine's name.
    public var hostname: String
    /// APP-NAME.
    public var appName: String
    /// PROCID: the daemon's process id.
    public var processID: Int32
    /// The private enterprise number in the SD-ID `coinsentry@N`.
    public var enterpriseNumber: Int

    /// Creates a formatter.
    public init(facility: SyslogFacility = .daemon, hostname: String = ProcessInfo.processInfo.hostName,
                appName: String = "coinsentryd", processID: Int32 = getpid(), enterpriseNumber: Int = 32473) {
        self.facility = facility
        self.hostname = hostname
        self.appName = appName
        self.processID = processID
        self.enterpriseNumber = enterpriseNumber
    }

    /// The SD-ID of the alert element.
    public var structuredDataID: String { "coinsentry@\(enterpriseNumber)" }

    /// The message for a record, without transport framing.
    public func format(_ record: AlertRecord) -> String {
        let priority = facility.code * 8 + record.severity
        var parameters: [(String, String)] = [
            ("sensor", record.sensor), ("event", record.event.rawValue), ("host", record.host),
            ("verdict", record.verdict), ("score", AlertRecord.formatScore(record.score)),
            ("windows", String(record.windows)), ("model", record.model), ("action", record.action),
            ("evidence", record.evidenceJSON), ("message_id", record.event.messageID),
        ]
        if let requestedBy = record.requestedBy { parameters.append(("requested_by", requestedBy)) }
        if let level = record.level { parameters.append(("level", level.rawValue)) }
        if let rule = record.rule { parameters.append(("rule", rule)) }
        if let reason = record.reason { parameters.append(("reason", reason)) }
        let element = parameters.map { "\($0.0)=\"\(Self.escapeParameterValue($0.1))\"" }.joined(separator: " ")
        let header = [
            "<\(priority)>1", record.rfc3339Time, Self.headerField(hostname, limit: 255),
            Self.headerField(appName, limit: 48), String(processID), Self.headerField(record.event.rawValue, limit: 32),
        ].joined(separator: " ")
        // The BOM marks MSG as UTF-8 (RFC 5424 §6.4).
        return "\(header) [\(structuredDataID) \(element)] \u{FEFF}\(record.summary)"
    }

    /// Escapes `"`, `\` and `]` in a PARAM-VALUE with a backslash (RFC 5424 §6.3.3).
    public static func escapeParameterValue(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for character in value {
            if character == "\"" || character == "\\" || character == "]" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// A header field as printable US-ASCII without spaces, at most `limit` characters, or NILVALUE (`-`).
    static func headerField(_ value: String, limit: Int) -> String {
        let scalars = value.unicodeScalars.filter { $0.value > 32 && $0.value < 127 }
        let printable = String(String.UnicodeScalarView(scalars))
        return printable.isEmpty ? "-" : String(printable.prefix(limit))
    }

    /// Octet-counting framing for syslog over TCP (RFC 6587 §3.4.1): `LENGTH SP MESSAGE`, LENGTH in bytes.
    public static func octetCounted(_ message: String) -> [UInt8] {
        let body = Array(message.utf8)
        return Array("\(body.count) ".utf8) + body
    }
}
