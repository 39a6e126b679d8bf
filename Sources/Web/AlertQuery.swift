import Control
import Foundation
import NetworkAddress

/// Alerts from the sensor's store, filtered by time range, host, level, rule and event, newest first, or grouped by
/// host and rule as EveBox groups Suricata's alerts.
public struct AlertQuery: Hashable, Sendable {
    public var since: Date?
    public var until: Date?
    public var host: String?
    public var level: String?
    public var rule: String?
    public var event: String?
    public var limit = 200
    public var grouped = false

    public static let maximumLimit = 5000

    public init() {}

    /// Reads `since`, `until` (RFC 3339 or seconds since 1970), `host`, `level`, `rule`, `event`, `limit` and
    /// `group` (`host-rule`).
    /// - Throws: `APIError` (400) naming the parameter.
    public init(parameters: [String: String]) throws(APIError) {
        since = try Self.time(parameters, "since")
        until = try Self.time(parameters, "until")
        host = parameters["host"]
        if let host, HostAddress(host) == nil {
            throw APIError(.badRequest, "host is an IPv4 or IPv6 address, not '\(host)'")
        }
        level = parameters["level"]
        rule = parameters["rule"]
        event = parameters["event"]
        if let text = parameters["limit"] {
            guard let number = Int(text), (1...Self.maximumLimit).contains(number) else {
                throw APIError(.badRequest, "limit is a whole number from 1 to \(Self.maximumLimit), not '\(text)'")
            }
            limit = number
        }
        if let group = parameters["group"] {
            guard group == "host-rule" else { throw APIError(.badRequest, "group is host-rule, not '\(group)'") }
            grouped = true
        }
    }

    private static func time(_ parameters: [String: String], _ name: String) throws(APIError) -> Date? {
        guard let text = parameters[name] else { return nil }
        if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
        guard let date = rfc3339(text) else {
            throw APIError(.badRequest, "\(name) is an RFC 3339 time or seconds since 1970, not '\(text)'")
        }
        return date
    }

    /// An RFC 3339 time, with or without fractional seconds. Foundation's `.iso8601` style refuses offsets beyond
    /// ±18:00, which RFC 3339 allows (any hour 00 to 23): those go to `ISO8601DateFormatter`.
    static func rfc3339(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        let formatter = ISO8601DateFormatter()
        if text.contains(".") { formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds] }
        return formatter.date(from: text)
    }

    /// The request the daemon filters by: every filter, and no more alerts than the reply carries.
    public var request: SensorRequest.Alerts {
        SensorRequest.Alerts(since: since.map { .seconds($0.timeIntervalSince1970) },
                             until: until.map { .seconds($0.timeIntervalSince1970) }, host: host, level: level,
                             rule: rule, event: event, limit: limit)
    }

    /// The same alerts grouped by host and rule, which the daemon's store does (`limit` groups).
    public var groupsRequest: SensorRequest.AlertGroups { SensorRequest.AlertGroups(request) }
}
