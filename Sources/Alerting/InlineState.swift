import Foundation

/// A host whose traffic inline mode drops, as the alert store keeps it across restarts.
public struct InlineBlock: Codable, Hashable, Sendable {
    /// What is dropped.
    public enum Scope: String, Codable, Hashable, Sendable {
        /// Every packet to or from the host.
        case all
        /// Packets between the host and `remotes`.
        case endpoints
    }

    /// Who started the block.
    public enum Origin: String, Codable, Hashable, Sendable {
        /// The `block` policy, when the host's verdict turned *mining*; lifted when the verdict clears.
        case verdict
        /// An operator, through the control socket; lifted only by an operator.
        case `operator`
    }

    /// The local host (IP address).
    public var host: String
    public var scope: Scope
    /// `IP:PORT` (or `IP` for every port) of each blocked remote endpoint; empty for `all`.
    public var remotes: [String]
    public var origin: Origin
    /// `verdict`, or the control-socket peer (`uid=… gid=… pid=… (name)`).
    public var requestedBy: String
    public var since: Date

    public init(host: String, scope: Scope, remotes: [String], origin: Origin, requestedBy: String, since: Date) {
        self.host = host
        self.scope = scope
        self.remotes = remotes
        self.origin = origin
        self.requestedBy = requestedBy
        self.since = since
    }
}

/// A host on the inline allowlist (never blocked), as the alert store keeps it.
public struct AllowedHost: Codable, Hashable, Sendable {
    public var host: String
    /// The control-socket peer who added it.
    public var requestedBy: String
    public var since: Date

    public init(host: String, requestedBy: String, since: Date) {
        self.host = host
        self.requestedBy = requestedBy
        self.since = since
    }
}
