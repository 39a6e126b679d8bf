import Foundation

/// What the daemon knows about one local host, persisted so a restart resumes where it stopped.
public struct HostState: Codable, Hashable, Sendable {
    /// The host's IP address.
    public var host: String
    /// `mining` or `clear`.
    public var verdict: String
    /// The vote's share of *mining* window decisions.
    public var score: Double
    /// How many window decisions the vote is over.
    public var windows: Int
    /// When the daemon last updated the state (stored to the microsecond).
    public var updatedAt: Date

    /// Creates a host state.
    public init(host: String, verdict: String, score: Double, windows: Int, updatedAt: Date) {
        self.host = host
        self.verdict = verdict
        self.score = score
        self.windows = windows
        self.updatedAt = updatedAt
    }
}

/// An alert as kept in the store: its row id and the record.
public struct StoredAlert: Hashable, Sendable {
    /// The alert's id in the store, increasing with insertion.
    public var id: Int64
    /// The record (its time stored to the microsecond).
    public var record: AlertRecord
}
