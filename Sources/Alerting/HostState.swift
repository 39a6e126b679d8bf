import Foundation

/// What the daemon knows about one local host, persisted so a restart resumes where it stopped.
public struct HostState: Codable, Hashable, Sendable {
    /// The host's IP address.
    public var host: String
    /// `mining`, `suspect` or `clear`.
    public var verdict: String
    /// The vote's share of *mining* window decisions.
    public var score: Double
    /// How many window decisions the vote is over.
    public var windows: Int
    /// When the daemon last updated the state (stored to the microsecond).
    public var updatedAt: Date
    /// The window decision values the vote counted (positive = mining), oldest first, so a restart resumes the vote.
    public var decisions: [Double]?

    /// Creates a host state.
    public init(host: String, verdict: String, score: Double, windows: Int, updatedAt: Date,
                decisions: [Double]? = nil) {
        self.host = host
        self.verdict = verdict
        self.score = score
        self.windows = windows
        self.updatedAt = updatedAt
        self.decisions = decisions
    }
}

/// An alert as kept in the store: its row id, the record, and what operators did with it.
public struct StoredAlert: Hashable, Sendable, Encodable {
    /// The alert's id in the store, increasing with insertion.
    public var id: Int64
    /// The record (its time stored to the microsecond).
    public var record: AlertRecord
    /// Who acknowledged it ("seen") and when.
    public var acknowledgedBy: String?
    public var acknowledgedAt: Date?
    /// Who closed it and when (closing a host's open alert ends its episode).
    public var closedBy: String?
    public var closedAt: Date?

    public init(id: Int64, record: AlertRecord, acknowledgedBy: String? = nil, acknowledgedAt: Date? = nil,
                closedBy: String? = nil, closedAt: Date? = nil) {
        self.id = id
        self.record = record
        self.acknowledgedBy = acknowledgedBy
        self.acknowledgedAt = acknowledgedAt
        self.closedBy = closedBy
        self.closedAt = closedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, acknowledgedBy = "acknowledged_by", acknowledgedAt = "acknowledged_at", closedBy = "closed_by"
        case closedAt = "closed_at"
    }

    /// The record's fields with `id` and the operators' marks beside them, as one flat object.
    public func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(acknowledgedBy, forKey: .acknowledgedBy)
        try container.encodeIfPresent(acknowledgedAt, forKey: .acknowledgedAt)
        try container.encodeIfPresent(closedBy, forKey: .closedBy)
        try container.encodeIfPresent(closedAt, forKey: .closedAt)
    }
}

/// A host or remote endpoint an operator marked benign: its alerts are suppressed (and counted) until the mark
/// expires.
public struct BenignMark: Codable, Hashable, Sendable {
    /// A local host's address, or a remote endpoint (`IP` or `IP:PORT`, IPv6 in brackets with a port).
    public var target: String
    public var reason: String
    public var requestedBy: String
    public var since: Date
    /// When the mark lapses; nil for never.
    public var until: Date?

    public init(target: String, reason: String, requestedBy: String, since: Date, until: Date?) {
        self.target = target
        self.reason = reason
        self.requestedBy = requestedBy
        self.since = since
        self.until = until
    }

    /// Whether the mark holds at `date`.
    public func holds(at date: Date) -> Bool { until.map { date < $0 } ?? true }

    enum CodingKeys: String, CodingKey {
        case target, reason, since, until
        case requestedBy = "requested_by"
    }
}
