import Control
import Foundation

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
        if let host, !SensorRoutes.isAddress(host) {
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

    /// The request the daemon filters by (time from, host, level, event), asking for no more than the reply needs when
    /// nothing is filtered or grouped here.
    public var request: SensorRequest.Alerts {
        SensorRequest.Alerts(since: since.map { .seconds($0.timeIntervalSince1970) }, host: host, level: level,
                             event: event, limit: rule == nil && until == nil && !grouped ? limit : nil)
    }

    /// What the daemon cannot filter: the end of the range and the rule; newest first.
    public func select(_ alerts: [AlertEntry]) -> [AlertEntry] {
        alerts.filter { alert in
            (rule == nil || alert.rule == rule)
                && (until == nil || (try? Date(alert.time, strategy: .iso8601)).map { $0 <= until! } ?? true)
        }.reversed()
    }

    /// Alerts grouped by host and rule: count, first and last seen, the latest alert's id, level and event, and
    /// how many are neither acknowledged nor closed. Groups with the latest alert first.
    public static func groups(_ alerts: [AlertEntry]) -> [AlertGroup] {
        var groups: [String: AlertGroup] = [:]
        var order: [String] = []
        for alert in alerts.sorted(by: { ($0.time, $0.id) < ($1.time, $1.id) }) {
            let key = alert.host + "\u{0}" + (alert.rule ?? "")
            let unhandled = alert.acknowledgedAt == nil && alert.closedAt == nil ? 1 : 0
            if var group = groups[key] {
                group.count += 1
                group.lastSeen = alert.time
                group.latestId = alert.id
                group.level = alert.level ?? group.level
                group.latestEvent = alert.event
                group.unhandled += unhandled
                groups[key] = group
            } else {
                order.append(key)
                groups[key] = AlertGroup(host: alert.host, rule: alert.rule, level: alert.level, count: 1,
                                         firstSeen: alert.time, lastSeen: alert.time, latestId: alert.id,
                                         latestEvent: alert.event, unhandled: unhandled)
            }
        }
        return order.compactMap { groups[$0] }.sorted { ($0.lastSeen, $0.latestId) > ($1.lastSeen, $1.latestId) }
    }
}

/// Alerts of one host under one rule.
public struct AlertGroup: Codable, Hashable, Sendable {
    public var host: String
    public var rule: String?
    public var level: String?
    public var count: Int
    public var firstSeen: String
    public var lastSeen: String
    public var latestId: Int64
    public var latestEvent: String
    /// Alerts neither acknowledged nor closed.
    public var unhandled: Int

    enum CodingKeys: String, CodingKey {
        case host, rule, level, count, firstSeen = "first_seen", lastSeen = "last_seen", latestId = "latest_id"
        case latestEvent = "latest_event", unhandled
    }
}
