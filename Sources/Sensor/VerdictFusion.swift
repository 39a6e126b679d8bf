import Detection

/// The rule that turns a host's statistical vote and its evidence into one verdict (issue 9, "one verdict from all
/// evidence"). In order, the first that holds decides:
///
/// 1. **stratum**: clear-text mining protocol is decisive: *mining* at once, whatever the vote says.
/// 2. **strong evidence**: at least `strongPiecesForMining` distinct strong pieces (pool-shaped flows scoring at least
///    `minimumPoolShapeScore`, pool names): *mining* without a vote.
/// 3. **strong evidence and vote**: one strong piece and a decided vote (at least the model's minimum windows) whose
///    mining share is above `strongVoteThreshold`, a weaker vote than statistics alone need; once *mining* by this
///    rule, it holds while the share stays above `strongVoteClearThreshold`.
/// 4. **vote**: the statistical vote alone, with the model's own threshold and hysteresis (strong and sustained).
///
/// Evidence is held for `evidenceHoldSeconds` after its last report; when no rule holds any longer the verdict clears.
public struct VerdictFusion: Hashable, Sendable {
    /// The rule's settings (configuration `[verdict]`).
    public struct Settings: Hashable, Sendable {
        /// Clear-text stratum evidence alone makes a host *mining* (`verdict.stratum_decisive`).
        public var stratumDecisive = true
        /// Distinct strong pieces that make a host *mining* without the vote; 0 turns the rule off
        /// (`verdict.strong_pieces`).
        public var strongPiecesForMining = 2
        /// With one strong piece, the vote's mining share above which the host is *mining* (`verdict.strong_vote`).
        public var strongVoteThreshold = 0.30
        /// The share at or below which a verdict reached with strong evidence and the vote clears
        /// (`verdict.strong_vote_clear`).
        public var strongVoteClearThreshold = 0.20
        /// A pool-shaped flow is strong evidence from this score on; below it, it is ignored
        /// (`verdict.pool_shape_score`).
        public var minimumPoolShapeScore = 0.5
        /// Seconds a piece of evidence counts after its last report (`verdict.evidence_hold_seconds`).
        public var evidenceHoldSeconds = 3600.0
        /// Well-known mining-pool ports: a long-lived TLS session to one is `tls-pool-port` evidence, named but never
        /// counted (`verdict.pool_ports`). Defaults: the stratum ports pools and miners document most.
        public var poolPorts: Set<UInt16> = [3333, 3334, 3335, 3336, 4444, 5555, 6666, 7777, 9999, 14433, 14444,
                                             45560, 45700]

        public init() {}
    }

    /// Which rule decided.
    public enum Rule: String, Hashable, Sendable {
        case stratum
        case strongEvidence = "strong-evidence"
        case strongEvidenceAndVote = "strong-evidence-and-vote"
        case vote
        /// No rule holds: not mining.
        case none
    }

    public var settings: Settings

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Whether a piece counts as strong (or decisive) evidence under these settings.
    public func counts(_ evidence: HostEvidence) -> Bool {
        switch evidence {
        case .stratum: true
        case .poolShape(_, let score): score >= settings.minimumPoolShapeScore
        case .poolName: true
        case .tlsPoolPort: false
        }
    }

    /// The verdict for a host.
    /// - Parameters:
    ///   - vote: the host's statistical vote.
    ///   - evidence: the evidence the host holds now.
    ///   - previous: the fused verdict before (for the hysteresis of rule 3).
    public func decide(vote: Verdict, evidence: [HostEvidence], previous: FusedVerdict? = nil) -> FusedVerdict {
        let counted = evidence.filter(counts)
        // Pieces that never decide (a TLS session to a pool port) are named beside any verdict that holds.
        let supporting = evidence.filter { if case .tlsPoolPort = $0 { true } else { false } }
        let stratum = counted.filter { if case .stratum = $0 { true } else { false } }
        if settings.stratumDecisive, !stratum.isEmpty {
            return FusedVerdict(rule: .stratum, vote: vote, evidence: stratum + supporting)
        }
        let strong = counted.filter { if case .stratum = $0 { false } else { true } }
        if settings.strongPiecesForMining > 0, Set(strong.map(\.identity)).count >= settings.strongPiecesForMining {
            return FusedVerdict(rule: .strongEvidence, vote: vote, evidence: strong + supporting)
        }
        if !strong.isEmpty, vote.state != .undecided {
            let threshold = previous?.rule == .strongEvidenceAndVote
                ? settings.strongVoteClearThreshold : settings.strongVoteThreshold
            if vote.score > threshold {
                return FusedVerdict(rule: .strongEvidenceAndVote, vote: vote, evidence: strong + supporting)
            }
        }
        if vote.isMining { return FusedVerdict(rule: .vote, vote: vote, evidence: supporting) }
        return FusedVerdict(rule: .none, vote: vote, evidence: [])
    }
}

/// A host's verdict from all evidence: the rule that decided, the vote, and the pieces behind it.
public struct FusedVerdict: Hashable, Sendable {
    public var rule: VerdictFusion.Rule
    /// The statistical vote it was decided with.
    public var vote: Verdict
    /// The evidence the deciding rule rests on (empty for `vote` and `none`).
    public var evidence: [HostEvidence]

    public init(rule: VerdictFusion.Rule, vote: Verdict, evidence: [HostEvidence]) {
        self.rule = rule
        self.vote = vote
        self.evidence = evidence
    }

    /// A host with no decision yet.
    public static let undecided = FusedVerdict(rule: .none, vote: Verdict(state: .undecided, score: 0, windows: 0),
                                               evidence: [])

    public var isMining: Bool { rule != .none }
}
