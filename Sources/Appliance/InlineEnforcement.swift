import Alerting
import Capture
import Foundation
import Sensor

/// A change of inline state for the alert store to keep (blocks and the allowlist survive restarts).
public enum InlineStoreChange: Sendable {
    case saveBlock(InlineBlock)
    case removeBlock(host: String)
    case saveAllowed(AllowedHost)
    case removeAllowed(host: String)
    case saveBenign(BenignMark)
    case removeBenign(target: String)
}

/// Why an operator's inline request was refused, in words for the operator.
public struct InlineRefusal: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension AlertStore {
    /// Writes one change of inline state.
    public func apply(_ change: InlineStoreChange) throws(AlertingError) {
        switch change {
        case .saveBlock(let block): try saveBlock(block)
        case .removeBlock(let host): try removeBlock(host: host)
        case .saveAllowed(let entry): try saveAllowed(entry)
        case .removeAllowed(let host): try removeAllowed(host: host)
        case .saveBenign(let mark): try saveBenign(mark)
        case .removeBenign(let target): try removeBenign(target: target)
        }
    }
}

/// Inline mode's decisions about who is blocked: automatic blocks of the `block` policy, operators' blocks and the
/// allowlist, and the verdict table they make for the queue. A value kept under the engine's lock; every change
/// returns what to store, so the store is written outside the lock.
///
/// What an automatic block drops: with `block_scope = "endpoints"`, the remote endpoints the verdict's evidence names
/// (stratum pools, pool-shaped flows, pool names tied to an address); when they name none (a *mining* verdict always
/// rests on pool or protocol evidence, so only an operator's block on a host without any), the host's busiest remote
/// endpoints (up to four, as the capture thread reports them); with `block_scope = "all"`, all its traffic. Only a
/// *mining* verdict blocks, never a *suspect*. An automatic block is lifted when the host's episode ends; an
/// operator's block only by an operator. The allowlist wins over every block.
struct InlineEnforcement: Sendable {
    typealias Refusal = InlineRefusal

    let queue: UInt16?
    let policy: InlinePolicy
    let blockAllTraffic: Bool
    /// Allowlisted by the configuration (`inline.allowlist`): operators cannot take these off.
    let configuredAllowlist: Set<HostAddress>
    private(set) var blocks: [HostAddress: (record: InlineBlock, scope: BlockScope)] = [:]
    private(set) var allowed: [HostAddress: AllowedHost] = [:]

    init(configuration: SensorConfiguration, blocks saved: [InlineBlock] = [],
         allowed savedAllowed: [AllowedHost] = []) {
        queue = configuration.inline.queue
        policy = configuration.inline.policy
        blockAllTraffic = configuration.inline.blockAllTraffic
        configuredAllowlist = Set(configuration.inline.allowlist)
        for block in saved {
            guard let host = HostAddress(block.host) else { continue }
            let remotes = block.remotes.compactMap(Self.parseRemote)
            blocks[host] = (block, block.scope == .all ? .allTraffic : .remotes(Set(remotes)))
        }
        for entry in savedAllowed {
            if let host = HostAddress(entry.host) { allowed[host] = entry }
        }
    }

    /// The verdict table for the queue.
    var rules: InlineRules {
        InlineRules(blocked: blocks.mapValues(\.scope), allowed: configuredAllowlist.union(allowed.keys))
    }

    func isAllowed(_ host: HostAddress) -> Bool { configuredAllowlist.contains(host) || allowed[host] != nil }

    /// The `block` policy's answer to a verdict turning *mining*: the new block, or nil (monitor policy, no queue,
    /// allowlisted, already blocked, nothing to block).
    mutating func verdictTurnedMining(_ host: HostAddress, endpoints: [EvidenceEndpoint], now: Date) -> InlineBlock? {
        guard queue != nil, policy == .block, !isAllowed(host), blocks[host] == nil else { return nil }
        guard let block = makeBlock(host, all: blockAllTraffic, endpoints: endpoints, origin: .verdict,
                                    requestedBy: "verdict", now: now) else { return nil }
        return block
    }

    /// Lifts the automatic block of a host whose verdict cleared; returns it, or nil when there was none (an
    /// operator's block stays).
    mutating func verdictCleared(_ host: HostAddress) -> InlineBlock? {
        guard let block = blocks[host], block.record.origin == .verdict else { return nil }
        blocks[host] = nil
        return block.record
    }

    /// An operator's `block HOST [--all]`.
    mutating func operatorBlock(_ host: HostAddress, all: Bool, endpoints: [EvidenceEndpoint], requestedBy: String,
                                now: Date) throws(Refusal) -> InlineBlock {
        try checkEnabled()
        if let existing = blocks[host] {
            throw Refusal("\(host) is already blocked (\(Self.describe(existing.record)), by "
                          + "\(existing.record.requestedBy)); unblock it first")
        }
        if isAllowed(host) { throw Refusal("\(host) is on the allowlist; disallow it first") }
        guard let block = makeBlock(host, all: all, endpoints: endpoints, origin: .operator, requestedBy: requestedBy,
                                    now: now) else {
            throw Refusal("no remote endpoints are known for \(host) (no evidence, no traffic seen); use --all")
        }
        return block
    }

    /// An operator's `unblock HOST`: the block lifted.
    mutating func operatorUnblock(_ host: HostAddress) throws(Refusal) -> InlineBlock {
        guard let block = blocks.removeValue(forKey: host) else { throw Refusal("\(host) is not blocked") }
        return block.record
    }

    /// An operator's `allow HOST`.
    mutating func allow(_ host: HostAddress, requestedBy: String, now: Date) throws(Refusal) -> AllowedHost {
        guard !isAllowed(host) else { throw Refusal("\(host) is already on the allowlist") }
        let entry = AllowedHost(host: host.description, requestedBy: requestedBy, since: now)
        allowed[host] = entry
        return entry
    }

    /// An operator's `disallow HOST`.
    mutating func disallow(_ host: HostAddress) throws(Refusal) {
        if configuredAllowlist.contains(host) {
            throw Refusal("\(host) is allowlisted by the configuration (inline.allowlist); edit it there")
        }
        guard allowed.removeValue(forKey: host) != nil else { throw Refusal("\(host) is not on the allowlist") }
    }

    private func checkEnabled() throws(Refusal) {
        guard queue != nil else { throw Refusal("inline mode is off: set [inline] queue in the configuration") }
        guard policy == .block else {
            throw Refusal("the inline policy is \"monitor\", which drops nothing: set [inline] policy = \"block\"")
        }
    }

    private mutating func makeBlock(_ host: HostAddress, all: Bool, endpoints: [EvidenceEndpoint],
                                    origin: InlineBlock.Origin, requestedBy: String, now: Date) -> InlineBlock? {
        var unique = [EvidenceEndpoint]()
        for endpoint in endpoints where !unique.contains(endpoint) { unique.append(endpoint) }
        guard all || !unique.isEmpty else { return nil }
        let record = InlineBlock(host: host.description, scope: all ? .all : .endpoints,
                                 remotes: all ? [] : unique.map(\.description), origin: origin,
                                 requestedBy: requestedBy, since: now)
        let scope: BlockScope = all ? .allTraffic
            : .remotes(Set(unique.map { BlockedRemote(address: $0.address, port: $0.port) }))
        blocks[host] = (record, scope)
        return record
    }

    /// `all traffic`, or the endpoints.
    static func describe(_ block: InlineBlock) -> String {
        block.scope == .all ? "all traffic" : block.remotes.joined(separator: ", ")
    }

    /// Parses `IP`, `IP:PORT` or `[IPv6]:PORT` as stored.
    static func parseRemote(_ text: String) -> BlockedRemote? {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let inside = text[text.index(after: text.startIndex)..<close]
            guard let address = HostAddress(String(inside)) else { return nil }
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { return nil }
            return BlockedRemote(address: address, port: rest.isEmpty ? 0 : UInt16(rest.dropFirst()) ?? 0)
        }
        if let address = HostAddress(text) { return BlockedRemote(address: address) }
        guard let colon = text.lastIndex(of: ":"), let address = HostAddress(String(text[..<colon])),
              let port = UInt16(text[text.index(after: colon)...]) else { return nil }
        return BlockedRemote(address: address, port: port)
    }
}
