import Capture
import PoolDetection

/// Turns what the capture thread reports beside interval records into the evidence the fused verdict weighs:
/// stratum sessions and pool names as they are, flow summaries scored by the pool-connection model (only flows it
/// finds pool-shaped, each time their best score rises, become evidence).
///
/// Without a pool model, flow summaries are ignored. Flows that end without ever looking pool-shaped are forgotten,
/// so the model's per-flow memory stays bounded by the flows alive and the pool-shaped ones.
public struct EvidenceIntake: Sendable {
    private var tracker: PoolShapeTracker?

    public init(poolModel: PoolShapeModel? = nil) {
        tracker = poolModel.map(PoolShapeTracker.init)
    }

    /// The pool-connection model in use, if any.
    public var poolModel: PoolShapeModel? { tracker?.model }

    /// The flows judged pool-shaped so far, per host, best score first (what replay reports).
    public var poolShaped: [HostAddress: [PoolShapeEvidence]] { tracker?.poolShaped ?? [:] }

    /// Uses a new pool-connection model (or none) from now on; scores of the old one are forgotten.
    public mutating func replace(poolModel: PoolShapeModel?) {
        tracker = poolModel.map(PoolShapeTracker.init)
    }

    /// A piece of evidence with the local host it is about and the interval it was reported in.
    public typealias Piece = (host: HostAddress, evidence: HostEvidence, interval: Int64)

    /// The evidence `found` amounts to (none, one or two pieces). A flow summary of a TLS session the local host
    /// opened to one of `poolPorts` is `tls-pool-port` evidence besides whatever its shape scores.
    /// A flow summary is pool-shape evidence when it scores at least `poolShapeScore`.
    public mutating func take(_ found: CaptureEvidence, poolPorts: Set<UInt16> = [],
                              poolShapeScore: Double = VerdictFusion.Settings().minimumPoolShapeScore) -> [Piece] {
        switch found {
        case .stratum(let session):
            return [(session.host, .stratum(session), session.interval)]
        case .poolName(let sighting):
            let remote = sighting.remote.map { EvidenceEndpoint(address: $0, port: sighting.remotePort ?? 0) }
            return [(sighting.host, .poolName(remote: remote, name: sighting.name, source: sighting.source),
                     sighting.interval)]
        case .flowShape(let shape):
            var pieces = [Piece]()
            if Self.isTLSToPoolPort(shape, poolPorts: poolPorts) {
                let remote = EvidenceEndpoint(address: shape.remote, port: shape.remotePort)
                pieces.append((shape.host, .tlsPoolPort(remote: remote), shape.interval))
            }
            guard tracker != nil else { return pieces }
            let scored = tracker!.add(shape, threshold: poolShapeScore)
            if shape.ended { tracker!.forgetUnlessPoolShaped(shape.flowKey) }
            if let scored {
                let remote = EvidenceEndpoint(address: scored.remote, port: scored.remotePort)
                pieces.append((shape.host, .poolShape(remote: remote, score: scored.score), shape.interval))
            }
            return pieces
        }
    }

    /// Whether a flow is a TLS session the local host opened to one of `poolPorts`.
    public static func isTLSToPoolPort(_ shape: FlowShape, poolPorts: Set<UInt16>) -> Bool {
        shape.localIsClient && shape.clientSpeaksTLS && poolPorts.contains(shape.remotePort)
    }
}
