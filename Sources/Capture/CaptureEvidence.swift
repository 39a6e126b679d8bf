/// The kinds of evidence that a host mines, by the names alerts, `coinsentry replay`, `evaluate --evidence` and the
/// control socket use: one vocabulary from the capture thread to every report.
public enum EvidenceKind: String, Hashable, Sendable, CaseIterable, Codable {
    /// Clear-text mining protocol.
    case stratum
    /// A TCP flow shaped like a pool connection.
    case poolShape = "pool-shape"
    /// A pool's name in DNS or TLS SNI.
    case poolName = "pool-name"
    /// A long-lived TLS session to a well-known pool port (named, never counted).
    case tlsPoolPort = "tls-pool-port"
}

/// What the capture thread reports besides interval counters, taken with `CaptureBatch.evidence`.
public enum CaptureEvidence: Hashable, Sendable {
    /// Clear-text mining protocol on a TCP flow (decisive on its own).
    case stratum(MiningEvidence)
    /// A listed pool domain in a host's DNS traffic or TLS ClientHello.
    case poolName(PoolNameEvidence)
    /// The summary of one long-lived TCP flow, for the pool-connection classifier (`PoolShapeTracker` turns it
    /// into pool-shape evidence with a score).
    case flowShape(FlowShape)

    /// The evidence kind: a flow summary is `pool-shape` (what it becomes once scored).
    public var kind: EvidenceKind {
        switch self {
        case .stratum: .stratum
        case .poolName: .poolName
        case .flowShape: .poolShape
        }
    }

    /// The local host the evidence belongs to.
    public var host: HostAddress {
        switch self {
        case .stratum(let evidence): evidence.host
        case .poolName(let evidence): evidence.host
        case .flowShape(let shape): shape.host
        }
    }
}

/// Where a pool name was seen.
public enum PoolNameSource: String, Hashable, Sendable, Codable {
    /// A DNS query or answer, or a TCP flow to an address a DNS answer gave for the name.
    case dns
    /// The server name (SNI) of a TLS ClientHello.
    case sni
}

/// A listed pool domain seen for a local host.
public struct PoolNameEvidence: Hashable, Sendable {
    public var host: HostAddress
    /// The name as seen (lowercase; names over 107 characters keep their last 107).
    public var name: String
    public var source: PoolNameSource
    /// The pool's address when known: the first address of a DNS answer, or the flow's remote end.
    public var remote: HostAddress?
    /// The pool's port when known (a flow); nil for a DNS lookup.
    public var remotePort: UInt16?
    /// The interval in which it was reported.
    public var interval: Int64

    public init(host: HostAddress, name: String, source: PoolNameSource, remote: HostAddress?, remotePort: UInt16?,
                interval: Int64) {
        self.host = host
        self.name = name
        self.source = source
        self.remote = remote
        self.remotePort = remotePort
        self.interval = interval
    }

    /// `IP:PORT`, `IP` (no port known) or nil (no address known).
    public var remoteDescription: String? {
        guard let remote else { return nil }
        guard let remotePort else { return remote.description }
        return RemoteEndpoint(address: remote, port: remotePort, transport: 6, bytes: 0).description
    }

    /// Two sightings of the same name for the same endpoint by the same means are one piece of evidence.
    public var sightingKey: String { "\(name)|\(source.rawValue)|\(remoteDescription ?? "")" }
}
