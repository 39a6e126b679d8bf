/// What an inline (NFQUEUE) capture does with packets.
public enum InlinePolicy: String, Hashable, Sendable, Codable {
    /// Accept every packet: count only (the default).
    case monitor
    /// Drop packets covered by a block rule of a host that is not allowlisted; accept the rest.
    case block
}

/// What of a blocked host's traffic is dropped.
public enum BlockScope: Hashable, Sendable {
    /// Every packet to or from the host.
    case allTraffic
    /// Packets between the host and these remote endpoints (port 0: any port of that address), e.g. the pools
    /// named by the mining verdict's evidence.
    case remotes(Set<BlockedRemote>)
}

/// A remote endpoint a blocked host may not reach; `port` 0 covers every port of the address.
public struct BlockedRemote: Hashable, Sendable, CustomStringConvertible {
    public var address: HostAddress
    public var port: UInt16

    public init(address: HostAddress, port: UInt16 = 0) {
        self.address = address
        self.port = port
    }

    public var description: String {
        let text = address.isIPv4 ? "\(address)" : "[\(address)]"
        return port == 0 ? text : "\(text):\(port)"
    }
}

/// The verdict table of an inline capture: blocked hosts and the allowlist (which wins over a block).
///
/// A value: build it, then install it whole with `CaptureSession.setRules(_:)`; the queue thread switches to the new
/// table without waiting for anything.
public struct InlineRules: Hashable, Sendable {
    public var blocked: [HostAddress: BlockScope] = [:]
    public var allowed: Set<HostAddress> = []

    public init(blocked: [HostAddress: BlockScope] = [:], allowed: Set<HostAddress> = []) {
        self.blocked = blocked
        self.allowed = allowed
    }

    /// Blocks `host`: all its traffic, or its traffic with more remote endpoints (added to those already blocked).
    public mutating func block(_ host: HostAddress, _ scope: BlockScope) {
        switch (blocked[host], scope) {
        case (.remotes(let existing)?, .remotes(let more)): blocked[host] = .remotes(existing.union(more))
        default: blocked[host] = scope
        }
    }

    /// Lifts every block of `host`.
    public mutating func unblock(_ host: HostAddress) {
        blocked[host] = nil
    }
}

/// Verdicts an inline capture has given.
public struct VerdictStatistics: Hashable, Sendable, Codable {
    public var accepted: UInt64 = 0
    public var dropped: UInt64 = 0
    /// Verdicts the kernel refused (`nfq_set_verdict` failed).
    public var verdictErrors: UInt64 = 0
    /// Receive errors on the queue socket (ENOBUFS: the kernel dropped queue messages and failed open).
    public var receiveErrors: UInt64 = 0
    /// Rule tables installed.
    public var tableSwaps: UInt64 = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case accepted, dropped, verdictErrors = "verdict_errors", receiveErrors = "receive_errors"
        case tableSwaps = "table_swaps"
    }
}
