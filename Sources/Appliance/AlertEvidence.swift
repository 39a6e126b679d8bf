import Alerting
import Capture
import Detection
import Foundation
import Sensor

extension AlertRecord.Evidence {
    /// A piece of host evidence as alerts name it: kind, remote endpoint, and what the kind has (dialect, worker and
    /// role for stratum; score for pool-shape; name and where it was seen for pool-name).
    init(_ evidence: HostEvidence) {
        switch evidence {
        case .stratum(let session):
            self.init(kind: evidence.kind.rawValue, remote: session.remoteDescription, dialect: session.dialect.rawValue,
                      worker: session.worker, role: session.role.rawValue)
        case .poolShape(let remote, let score):
            self.init(kind: evidence.kind.rawValue, remote: remote.description, score: score)
        case .poolName(let remote, let name, let source, let connected):
            self.init(kind: evidence.kind.rawValue, remote: remote?.description, name: name, source: source.rawValue,
                      seconds: connected > 0 ? connected : nil)
        case .tlsPoolPort(let remote):
            self.init(kind: evidence.kind.rawValue, remote: remote.description)
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

extension AlertRecord {
    /// A record maker for a verdict: `make(event, level:)` gives the record of that event, with the rule, the vote and
    /// everything behind the verdict.
    static func about(_ fused: FusedVerdict, host: String, busiest: EndpointList, sensor: String,
                      model: DetectionModel, now: Date) -> (AlertRecord.Event, VerdictFusion.Level) -> AlertRecord {
        let evidence = AlertRecord.Evidence.behind(fused, busiest: busiest)
        return { (event: AlertRecord.Event, level: VerdictFusion.Level) -> AlertRecord in
            AlertRecord(time: now, sensor: sensor, event: event, host: host,
                        verdict: level.rawValue, score: fused.vote.score, windows: fused.vote.windows,
                        model: model.file.id, evidence: evidence, level: AlertRecord.Level(level),
                        rule: fused.rule == .none ? nil : fused.rule.rawValue)
        }
    }
}

extension AlertRecord.Level {
    /// The alert level of a verdict level (the same names).
    init(_ level: VerdictFusion.Level) {
        switch level {
        case .suspect: self = .suspect
        case .mining: self = .mining
        }
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
