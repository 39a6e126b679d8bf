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
    /// A pool's name seen in a DNS query or answer or a TLS ClientHello's SNI, with the endpoint it was tied to when
    /// one is known (a connection the host opened to an address the name resolved to, or the TLS server named), and
    /// how long that connection has lived so far in seconds (0 until a flow summary says). A lookup alone is weak
    /// (a person may have opened the pool's web page); a long-lived connection to the pool is strong.
    case poolName(remote: EvidenceEndpoint?, name: String, source: PoolNameSource, connected: Double = 0)
    /// A long-lived TLS session the host opened to a well-known pool port (`VerdictFusion.Settings.poolPorts`):
    /// evidence only, named beside a verdict but never counted towards one.
    case tlsPoolPort(remote: EvidenceEndpoint)

    /// The kinds of evidence (`EvidenceKind`, one vocabulary from the capture thread on).
    public typealias Kind = EvidenceKind

    /// The evidence's kind.
    public var kind: Kind {
        switch self {
        case .stratum: .stratum
        case .poolShape: .poolShape
        case .poolName: .poolName
        case .tlsPoolPort: .tlsPoolPort
        }
    }

    /// The remote endpoint behind the evidence, when it names one (what `block` policy drops).
    public var remote: EvidenceEndpoint? {
        switch self {
        case .stratum(let session): EvidenceEndpoint(address: session.remote, port: session.remotePort)
        case .poolShape(let remote, _): remote
        case .poolName(let remote, _, _, _): remote
        case .tlsPoolPort(let remote): remote
        }
    }

    /// What makes two reports the same piece of evidence: a later report replaces an earlier one with the same
    /// identity (and refreshes its age) instead of counting twice.
    public var identity: Identity {
        switch self {
        case .stratum(let session): .stratum(session.sessionKey)
        case .poolShape(let remote, _): .poolShape(remote)
        case .poolName(_, let name, _, _): .poolName(name.lowercased())
        case .tlsPoolPort(let remote): .tlsPoolPort(remote)
        }
    }

    /// A later report of the same piece, keeping what the earlier one knew and this one does not: the endpoint a pool
    /// name was tied to, and the longest its connection has lived.
    public func merged(into earlier: HostEvidence) -> HostEvidence {
        guard case .poolName(let remote, let name, let source, let connected) = self,
              case .poolName(let earlierRemote, _, _, let earlierConnected) = earlier else { return self }
        guard let remote, let earlierRemote else {
            return .poolName(remote: remote ?? earlierRemote, name: name, source: source,
                             connected: max(connected, earlierConnected))
        }
        // The same address, with a port on one side or the same port on both: the same connection, known better.
        guard remote.address == earlierRemote.address,
              remote.port == 0 || earlierRemote.port == 0 || remote.port == earlierRemote.port else { return self }
        let endpoint = remote.port == 0 ? earlierRemote : remote
        return .poolName(remote: endpoint, name: name, source: source, connected: max(connected, earlierConnected))
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

extension CaptureEvidence {
    /// The remote endpoint the report is about, when it names one.
    public var remoteEndpoint: EvidenceEndpoint? {
        switch self {
        case .stratum(let session): EvidenceEndpoint(address: session.remote, port: session.remotePort)
        case .poolName(let sighting): sighting.remote.map { EvidenceEndpoint(address: $0, port: sighting.remotePort ?? 0) }
        case .flowShape(let shape): EvidenceEndpoint(address: shape.remote, port: shape.remotePort)
        }
    }
}
