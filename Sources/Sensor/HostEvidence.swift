import Capture

/// A remote endpoint named by a piece of evidence; `port` 0 when only the address is known.
public struct EvidenceEndpoint: Hashable, Sendable, CustomStringConvertible {
    public var address: HostAddress
    public var port: UInt16

    public init(address: HostAddress, port: UInt16 = 0) {
        self.address = address
        self.port = port
    }

    /// `IP:PORT` (IPv6 in brackets), or the address alone for port 0, as a block rule writes it.
    public var description: String { BlockedRemote(address: address, port: port).description }
}

/// One piece of evidence that a local host mines, beside the statistical vote. Producers (the capture thread's stratum
/// matcher, the flow-shape classifier, the DNS/SNI pool-name matcher) each make one case; `SensorPipeline.add` takes
/// any of them, and `VerdictFusion` weighs them.
public enum HostEvidence: Hashable, Sendable {
    /// A clear-text mining protocol session (decisive).
    case stratum(MiningEvidence)
    /// A TCP flow shaped like a pool connection, with the classifier's score (0 to 1); strong when the score reaches
    /// `VerdictFusion.Settings.minimumPoolShapeScore`.
    case poolShape(remote: EvidenceEndpoint, score: Double)
    /// A pool's name seen in a DNS query or answer or a TLS ClientHello's SNI (strong), with the endpoint it was tied
    /// to when one is known.
    case poolName(remote: EvidenceEndpoint?, name: String, source: PoolNameSource)
    /// A long-lived TLS session the host opened to a well-known pool port (`VerdictFusion.Settings.poolPorts`):
    /// evidence only, named beside a verdict but never counted towards one.
    case tlsPoolPort(remote: EvidenceEndpoint)

    /// The evidence kind as alerts and `coinsentry replay` name it: `stratum`, `pool-shape`, `pool-name`.
    public var kind: String {
        switch self {
        case .stratum: "stratum"
        case .poolShape: "pool-shape"
        case .poolName: "pool-name"
        case .tlsPoolPort: "tls-pool-port"
        }
    }

    /// The remote endpoint behind the evidence, when it names one (what `block` policy drops).
    public var remote: EvidenceEndpoint? {
        switch self {
        case .stratum(let session): EvidenceEndpoint(address: session.remote, port: session.remotePort)
        case .poolShape(let remote, _): remote
        case .poolName(let remote, _, _): remote
        case .tlsPoolPort(let remote): remote
        }
    }

    /// What makes two reports the same piece of evidence: a later report replaces an earlier one with the same
    /// identity (and refreshes its age) instead of counting twice.
    public var identity: Identity {
        switch self {
        case .stratum(let session): .stratum(session.sessionKey)
        case .poolShape(let remote, _): .poolShape(remote)
        case .poolName(_, let name, _): .poolName(name.lowercased())
        case .tlsPoolPort(let remote): .tlsPoolPort(remote)
        }
    }

    /// See `identity`.
    public enum Identity: Hashable, Sendable {
        case stratum(MiningEvidence.SessionKey)
        case poolShape(EvidenceEndpoint)
        case poolName(String)
        case tlsPoolPort(EvidenceEndpoint)
    }
}

/// A piece of evidence a host holds, with the interval it was last reported in (evidence expires after
/// `VerdictFusion.Settings.evidenceHoldSeconds` without a new report).
public struct HeldEvidence: Hashable, Sendable {
    public var evidence: HostEvidence
    public var lastInterval: Int64

    public init(evidence: HostEvidence, lastInterval: Int64) {
        self.evidence = evidence
        self.lastInterval = lastInterval
    }
}
