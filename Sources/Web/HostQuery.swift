import Control

/// A page of the sensor's hosts: filtered by level and score, sorted by a column, cut to `offset ..< offset + limit`.
public struct HostQuery: Hashable, Sendable {
    /// Sortable columns.
    public enum Column: String, CaseIterable, Sendable {
        /// The daemon's own order: *mining*, then *suspect*, then the rest, each by score and traffic.
        case rank
        case score, host, bytes, windows
    }

    /// `mining`, `suspect`, or `none` (hosts at neither level); nil for all.
    public var level: String?
    public var minimumScore: Double?
    public var sort: Column = .rank
    public var descending = true
    public var offset = 0
    public var limit = 50

    public static let maximumLimit = 500

    public init() {}

    /// Reads the query string's `level`, `min_score`, `sort`, `order` (`asc`/`desc`), `offset` and `limit`.
    /// - Throws: `APIError` (400) naming the parameter.
    public init(parameters: [String: String]) throws(APIError) {
        if let level = parameters["level"] {
            guard ["mining", "suspect", "none"].contains(level) else {
                throw APIError(.badRequest, "level is mining, suspect or none, not '\(level)'")
            }
            self.level = level
        }
        if let text = parameters["min_score"] {
            guard let score = Double(text), score.isFinite else {
                throw APIError(.badRequest, "min_score is a number, not '\(text)'")
            }
            minimumScore = score
        }
        if let text = parameters["sort"] {
            guard let column = Column(rawValue: text) else {
                let names = Column.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError(.badRequest, "sort is one of \(names), not '\(text)'")
            }
            sort = column
        }
        if let order = parameters["order"] {
            guard order == "asc" || order == "desc" else {
                throw APIError(.badRequest, "order is asc or desc, not '\(order)'")
            }
            descending = order == "desc"
        }
        offset = try Self.count(parameters, "offset", default: 0, range: 0...Int.max)
        limit = try Self.count(parameters, "limit", default: 50, range: 1...Self.maximumLimit)
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

    /// The page of `hosts` (given in the daemon's order) this query asks for.
    public func page(of hosts: [HostSummary]) -> HostPage {
        let kept = hosts.enumerated().filter { _, host in
            switch level {
            case nil: true
            case "none": host.level == nil
            case let wanted?: host.level == wanted
            }
        }.filter { _, host in minimumScore.map { host.score >= $0 } ?? true }
        let sorted: [(offset: Int, element: HostSummary)]
        switch sort {
        case .rank: sorted = descending ? kept : kept.reversed()
        case .score: sorted = order(kept) { $0.score }
        case .host: sorted = order(kept) { $0.host }
        case .bytes: sorted = order(kept) { $0.bytesReceived + $0.bytesSent }
        case .windows: sorted = order(kept) { $0.windows }
        }
        let page = sorted.dropFirst(offset).prefix(limit).map(\.element)
        return HostPage(total: kept.count, offset: offset, limit: limit, hosts: Array(page))
    }

    /// Stable: ties keep the daemon's order.
    private func order<Key: Comparable>(_ hosts: [(offset: Int, element: HostSummary)],
                                        by key: (HostSummary) -> Key) -> [(offset: Int, element: HostSummary)] {
        hosts.sorted { left, right in
            let (a, b) = (key(left.element), key(right.element))
            if a != b { return descending ? a > b : a < b }
            return left.offset < right.offset
        }
    }
}

/// One page of hosts and how many matched in all.
public struct HostPage: Codable, Hashable, Sendable {
    public var total: Int
    public var offset: Int
    public var limit: Int
    public var hosts: [HostSummary]
}
