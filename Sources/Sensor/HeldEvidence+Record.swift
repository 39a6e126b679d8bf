import Capture
import Foundation

extension HeldEvidence {
    /// A piece of held evidence as the alert store keeps it across a restart: flat, with its last report's time.
    public struct Record: Codable, Hashable, Sendable {
        public var kind: String
        public var remote: String
        public var port: UInt16
        public var localPort: UInt16?
        public var dialect: String?
        public var role: String?
        public var worker: String?
        public var name: String?
        public var source: String?
        public var score: Double?
        public var connected: Double?
        /// Seconds since 1970 of the interval it was last reported in.
        public var lastSeen: Double

        enum CodingKeys: String, CodingKey {
            case kind, remote, port, dialect, role, worker, name, source, score, connected
            case localPort = "local_port", lastSeen = "last_seen"
        }
    }

    /// The record of this piece; intervals are `intervalSeconds` wide and counted from 1970 (as live capture counts
    /// them). A pool name known only by name has no record (nothing ties it to a connection yet).
    public func record(intervalSeconds: Double) -> Record? {
        let last = Double(lastInterval) * intervalSeconds
        switch evidence {
        case .stratum(let session):
            return Record(kind: HostEvidence.Kind.stratum.rawValue, remote: session.remote.description,
                          port: session.remotePort, localPort: session.localPort, dialect: session.dialect.rawValue,
                          role: session.role.rawValue, worker: session.worker, lastSeen: last)
        case .poolShape(let remote, let score):
            return Record(kind: HostEvidence.Kind.poolShape.rawValue, remote: remote.address.description,
                          port: remote.port, score: score, lastSeen: last)
        case .poolName(let remote?, let name, let source, let connected):
            return Record(kind: HostEvidence.Kind.poolName.rawValue, remote: remote.address.description,
                          port: remote.port, name: name, source: source.rawValue, connected: connected, lastSeen: last)
        case .poolName, .tlsPoolPort:
            return nil
        }
    }

    /// The piece a record describes for `host`, or nil for a record this build cannot read.
    public static func restore(_ record: Record, host: HostAddress, intervalSeconds: Double) -> HeldEvidence? {
        guard let remote = HostAddress(record.remote), intervalSeconds > 0 else { return nil }
        let interval = Int64((record.lastSeen / intervalSeconds).rounded(.down))
        let evidence: HostEvidence
        switch HostEvidence.Kind(rawValue: record.kind) {
        case .stratum:
            guard let dialect = record.dialect.flatMap(MiningDialect.init(rawValue:)),
                  let role = record.role.flatMap(MiningRole.init(rawValue:)) else { return nil }
            evidence = .stratum(MiningEvidence(host: host, remote: remote, remotePort: record.port,
                                               localPort: record.localPort ?? 0, dialect: dialect, role: role,
                                               worker: record.worker, interval: interval))
        case .poolShape:
            guard let score = record.score else { return nil }
            evidence = .poolShape(remote: EvidenceEndpoint(address: remote, port: record.port), score: score)
        case .poolName:
            guard let name = record.name, let source = record.source.flatMap(PoolNameSource.init(rawValue:)) else {
                return nil
            }
            evidence = .poolName(remote: EvidenceEndpoint(address: remote, port: record.port), name: name,
                                 source: source, connected: record.connected ?? 0)
        case .tlsPoolPort, nil:
            return nil
        }
        return HeldEvidence(evidence: evidence, lastInterval: interval)
    }
}
