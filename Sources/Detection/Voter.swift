/// The votes of all hosts, keyed like the window engine.
public struct Voter<Host: Hashable & Sendable>: Sendable {
    /// The settings every host's vote follows.
    public let settings: VoteSettings
    private var votes: [Host: HostVote] = [:]

    public init(settings: VoteSettings) { self.settings = settings }

    /// Adds a window decision for a host and returns its verdict.
    public mutating func add(host: Host, mining: Bool) -> Verdict {
        votes[host, default: HostVote(settings: settings)].add(mining)
    }

    /// The host's verdict, or `nil` when it has no decisions.
    public func verdict(for host: Host) -> Verdict? { votes[host]?.verdict }

    /// Forgets one host.
    public mutating func remove(_ host: Host) { votes[host] = nil }

    /// Forgets all hosts (after a discontinuity or a model change).
    public mutating func reset() { votes.removeAll() }

    /// Hosts with a vote.
    public var count: Int { votes.count }
}
