import Alerting
import Capture
import Sensor

extension AlertRecord.Evidence {
    /// A piece of host evidence as alerts name it: kind, remote endpoint, and what the kind has (dialect, worker and
    /// role for stratum; score for pool-shape; name and where it was seen for pool-name).
    init(_ evidence: HostEvidence) {
        switch evidence {
        case .stratum(let session):
            self.init(kind: evidence.kind, remote: session.remoteDescription, dialect: session.dialect.rawValue,
                      worker: session.worker, role: session.role.rawValue)
        case .poolShape(let remote, let score):
            self.init(kind: evidence.kind, remote: remote.description, score: score)
        case .poolName(let remote, let name, let source):
            self.init(kind: evidence.kind, remote: remote?.description, name: name, source: source.rawValue)
        case .tlsPoolPort(let remote):
            self.init(kind: evidence.kind, remote: remote.description)
        }
    }

    /// Everything behind a verdict, for its alert: the rule that decided, the vote, each piece of evidence, and the
    /// host's busiest remote endpoints.
    static func behind(_ verdict: FusedVerdict, busiest: EndpointList) -> [AlertRecord.Evidence] {
        [AlertRecord.Evidence(kind: "rule", name: verdict.rule.rawValue),
         AlertRecord.Evidence(kind: "statistics", score: verdict.vote.score)]
            + verdict.evidence.map(AlertRecord.Evidence.init)
            + busiest.map { AlertRecord.Evidence(kind: "remote", remote: $0.description, bytes: $0.bytes) }
    }

    /// What a block drops, as evidence entries of kind `blocked` (no remote: all traffic).
    static func dropped(by block: InlineBlock) -> [AlertRecord.Evidence] {
        block.scope == .all ? [AlertRecord.Evidence(kind: "blocked", name: "all traffic")]
            : block.remotes.map { AlertRecord.Evidence(kind: "blocked", remote: $0) }
    }
}

extension HostStatus {
    /// The endpoints a block of this host drops: those its verdict's evidence names, else its busiest remotes.
    var blockEndpoints: [EvidenceEndpoint] {
        let named = (fused.evidence + evidence.map(\.evidence)).compactMap(\.remote)
        if !named.isEmpty { return named }
        return busiestRemotes.map { EvidenceEndpoint(address: $0.address, port: $0.port) }
    }
}
