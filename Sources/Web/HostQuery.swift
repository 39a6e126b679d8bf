import Control
import NetworkAddress

/// `/api/v1/sensor/hosts`' query string, read into the control protocol's hosts request: the daemon filters, sorts
/// and pages (`SensorRequest.Hosts.select(fromRanked:)`).
public struct HostQuery: Sendable {
    /// The request sent to the daemon.
    public var request = SensorRequest.Hosts(top: 50)
    /// The page size asked for.
    public var limit: Int { request.top ?? 50 }

    public static let maximumLimit = 500
    /// The highest offset taken: far beyond any sensor's host count, and within the integers the control protocol's
    /// JSON numbers carry exactly (2^53).
    public static let maximumOffset = 1_000_000_000

    public init() {}

    /// Reads the query string's `level`, `min_score`, `sort`, `order` (`asc`/`desc`), `offset` and `limit`.
    /// - Throws: `APIError` (400) naming the parameter.
    public init(parameters: [String: String]) throws(APIError) {
        if let level = parameters["level"] {
            guard ["mining", "suspect", "none"].contains(level) else {
                throw APIError(.badRequest, "level is mining, suspect or none, not '\(level)'")
            }
            request.level = level
        }
        if let text = parameters["min_score"] {
            guard let score = Double(text), (0...1).contains(score) else {
                throw APIError(.badRequest, "min_score is a number from 0 to 1, not '\(text)'")
            }
            request.minScore = score
        }
        if let text = parameters["sort"] {
            guard let order = HostOrder(rawValue: text) else {
                let names = HostOrder.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError(.badRequest, "sort is one of \(names), not '\(text)'")
            }
            request.sort = order
        }
        if let order = parameters["order"] {
            guard order == "asc" || order == "desc" else {
                throw APIError(.badRequest, "order is asc or desc, not '\(order)'")
            }
            request.ascending = order == "asc"
        }
        request.offset = try Self.count(parameters, "offset", default: 0, range: 0...Self.maximumOffset)
        request.top = try Self.count(parameters, "limit", default: 50, range: 1...Self.maximumLimit)
    }

    private static func count(_ parameters: [String: String], _ name: String, default value: Int,
                              range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let text = parameters[name] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError(.badRequest, "\(name) is a whole number from \(range.lowerBound) to \(range.upperBound), "
                           + "not '\(text)'")
        }
        return number
    }

    /// The page the daemon answered, as the API sends it.
    public func page(_ list: HostList) -> HostPage {
        HostPage(total: list.total ?? list.hosts.count, offset: list.offset ?? request.offset ?? 0, limit: limit,
                 hosts: list.hosts)
    }
}

/// One page of hosts and how many matched in all.
public struct HostPage: Codable, Hashable, Sendable {
    public var total: Int
    public var offset: Int
    public var limit: Int
    public var hosts: [HostSummary]
}

/// `/api/v1/sensor/hosts/{host}`' path and query string, read into the control protocol's host request.
public struct HostDetailQuery: Sendable {
    /// The request sent to the daemon.
    public var request: SensorRequest.Host

    /// Reads the host and `span`, the traffic series' length in seconds (a minute to a day).
    /// - Throws: `APIError` (400) naming what is wrong.
    public init(host: String, parameters: [String: String]) throws(APIError) {
        guard HostAddress(host) != nil else {
            throw APIError(.badRequest, "host is an IPv4 or IPv6 address, not '\(host)'")
        }
        request = SensorRequest.Host(host: host)
        if let text = parameters["span"] {
            let spans = SensorRequest.Host.spans
            guard let seconds = Int(text), spans.contains(seconds) else {
                throw APIError(.badRequest, "span is the series' length in seconds, a whole number from "
                               + "\(spans.lowerBound) to \(spans.upperBound), not '\(text)'")
            }
            request.span = seconds
        }
    }
}
