import Detection

/// The rule that turns a host's statistical vote and its evidence into one graded verdict. In order, the first that
/// holds decides:
///
/// | rule | level | holds when |
/// | --- | --- | --- |
/// | `stratum` | mining | clear-text mining protocol (stratum, the Monero dialect, getwork over stratum or HTTP) |
/// | `pool-name-connection` | mining | a pool name, then a connection to its address (or a TLS session with it as SNI) that lived at least `poolNameConnectionSeconds` |
/// | `strong-evidence` | mining | `strongPiecesForMining` distinct pool pieces (pool-shaped flows, pool names), one of them strong |
/// | `strong-evidence-and-vote` | mining | one strong piece and a vote over at least `strongVoteWindows` windows (0: a decided vote) whose mining share is above `strongVoteThreshold` (held down to `strongVoteClearThreshold`) |
/// | `evidence` | suspect | pool evidence alone: one pool-shaped flow, or a pool name looked up |
/// | `vote` | suspect | the statistical vote alone (the model's threshold and hysteresis) |
///
/// A strong piece is a pool-shaped flow scoring at least `minimumPoolShapeScore` or a pool name whose connection lived
/// long enough; a pool name looked up (or connected to only briefly) is weak. No rule makes a host *mining* on the
/// vote alone: on real ordinary traffic the vote raises too many false alarms to stand by itself, so it is reported as
/// a *suspect* for an operator to look at, and it strengthens pool evidence. Evidence is held for
/// `evidenceHoldSeconds` after its last report.
public struct VerdictFusion: Hashable, Sendable {
    /// The rule's settings (configuration `[verdict]`).
    public struct Settings: Hashable, Sendable {
        /// Clear-text stratum evidence alone makes a host *mining* (`verdict.stratum_decisive`).
        public var stratumDecisive = true
        /// Distinct pool pieces (one of them strong) that make a host *mining* without the vote; 0 turns the rule off
        /// (`verdict.strong_pieces`).
        public var strongPiecesForMining = 2
        /// With one strong piece, the vote's mining share above which the host is *mining* (`verdict.strong_vote`).
        public var strongVoteThreshold = 0.30
        /// The share at or below which a verdict reached with strong evidence and the vote clears
        /// (`verdict.strong_vote_clear`).
        public var strongVoteClearThreshold = 0.20
        /// Windows the vote must have counted for its share to support a strong piece (`verdict.strong_vote_windows`);
        /// 0: only a decided vote supports (the model's own minimum, ten windows in the shipped model). Three windows
        /// come 160 s after a host's first packet with the shipped model's two-minute window sliding by 20 s.
        public var strongVoteWindows = 3
        /// A pool-shaped flow is strong evidence from this score on; below it, it is ignored
        /// (`verdict.pool_shape_score`).
        public var minimumPoolShapeScore = 0.5
        /// Seconds a connection to a pool name's address must have lived for the name to be strong evidence
        /// (`verdict.pool_name_connection_seconds`); a lookup alone is weak.
        public var poolNameConnectionSeconds = 120.0
        /// Packets (received and sent) a host's longest window must hold for the window to be voted on; sparser
        /// windows are counted and left out (`verdict.minimum_window_packets`; 0 votes on every window).
        public var minimumWindowPackets: UInt64 = 10
        /// Seconds a piece of evidence counts after its last report (`verdict.evidence_hold_seconds`).
        public var evidenceHoldSeconds = 3600.0
        /// Well-known mining-pool ports: a long-lived TLS session to one is `tls-pool-port` evidence, named but never
        /// counted (`verdict.pool_ports`). Defaults: the stratum ports pools and miners document most.
        public var poolPorts: Set<UInt16> = [3333, 3334, 3335, 3336, 4444, 5555, 6666, 7777, 9999, 14433, 14444,
                                             45560, 45700]

        public init() {}
    }

    /// How sure a verdict is: *mining* rests on protocol or pool evidence an operator can act on; *suspect* is the
    /// statistical vote or one weak piece, worth a look and never acted on by itself.
    public enum Level: String, Hashable, Sendable, CaseIterable, Comparable {
        case suspect
        case mining

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs == .suspect && rhs == .mining }
    }

    /// Which rule decided.
    public enum Rule: String, Hashable, Sendable, CaseIterable {
        case stratum
        case poolNameConnection = "pool-name-connection"
        case strongEvidence = "strong-evidence"
        case strongEvidenceAndVote = "strong-evidence-and-vote"
        case evidence
        case vote
        /// No rule holds: not mining.
        case none

        /// The level a verdict by this rule has; nil for `none`.
        public var level: Level? {
            switch self {
            case .stratum, .poolNameConnection, .strongEvidence, .strongEvidenceAndVote: .mining
            case .evidence, .vote: .suspect
            case .none: nil
            }
        }
    }

    public var settings: Settings

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// How much a piece weighs under these settings.
    public enum Weight: Hashable, Sendable {
        /// Clear-text mining protocol.
        case decisive
        case strong
        case weak
        /// Named beside a verdict, never counted (a TLS session to a pool port, a pool shape below its score).
        case none
    }

    /// The weight of a piece under these settings.
    public func weight(of evidence: HostEvidence) -> Weight {
        switch evidence {
        case .stratum: .decisive
        case .poolShape(_, let score): score >= settings.minimumPoolShapeScore ? .strong : .none
        case .poolName(let remote, _, _, let connected):
            remote != nil && connected >= settings.poolNameConnectionSeconds ? .strong : .weak
        case .tlsPoolPort: .none
        }
    }

    /// Whether `vote` has counted enough windows for its share to support a strong piece.
    public func canSupport(_ vote: Verdict) -> Bool {
        settings.strongVoteWindows > 0 ? vote.windows >= settings.strongVoteWindows : vote.state != .undecided
    }

    /// The vote share a strong piece needs: `strongVoteThreshold`, or `strongVoteClearThreshold` while the verdict
    /// before was reached by that rule.
    func supportThreshold(after previous: FusedVerdict?) -> Double {
        previous?.rule == .strongEvidenceAndVote ? settings.strongVoteClearThreshold : settings.strongVoteThreshold
    }

    /// The verdict for a host.
    /// - Parameters:
    ///   - vote: the host's statistical vote.
    ///   - evidence: the evidence the host holds now.
    ///   - previous: the fused verdict before (for the hysteresis of `strong-evidence-and-vote`).
    public func decide(vote: Verdict, evidence: [HostEvidence], previous: FusedVerdict? = nil) -> FusedVerdict {
        let weights = evidence.map(weight(of:))
        func pieces(_ wanted: Set<Weight>) -> [HostEvidence] {
            zip(evidence, weights).filter { wanted.contains($0.1) }.map(\.0)
        }
        // Pieces that never decide (a TLS session to a pool port) are named beside any verdict that holds.
        let supporting = evidence.filter { if case .tlsPoolPort = $0 { true } else { false } }
        let stratum = pieces([.decisive])
        if settings.stratumDecisive, !stratum.isEmpty {
            return FusedVerdict(rule: .stratum, vote: vote, evidence: stratum + supporting)
        }
        let strong = pieces([.strong])
        let pool = pieces([.strong, .weak])
        let connectedNames = strong.filter { if case .poolName = $0 { true } else { false } }
        if !connectedNames.isEmpty {
            return FusedVerdict(rule: .poolNameConnection, vote: vote, evidence: pool + supporting)
        }
        if settings.strongPiecesForMining > 0, !strong.isEmpty,
           Set(pool.map(\.identity)).count >= settings.strongPiecesForMining {
            return FusedVerdict(rule: .strongEvidence, vote: vote, evidence: pool + supporting)
        }
        if !strong.isEmpty, canSupport(vote), vote.score > supportThreshold(after: previous) {
            return FusedVerdict(rule: .strongEvidenceAndVote, vote: vote, evidence: pool + supporting)
        }
        if !pool.isEmpty { return FusedVerdict(rule: .evidence, vote: vote, evidence: pool + supporting) }
        if vote.isMining { return FusedVerdict(rule: .vote, vote: vote, evidence: supporting) }
        return FusedVerdict(rule: .none, vote: vote, evidence: [])
    }
}

/// A host's verdict from all evidence: the rule that decided, the vote, and the pieces behind it.
public struct FusedVerdict: Hashable, Sendable {
    public var rule: VerdictFusion.Rule
    /// The statistical vote it was decided with.
    public var vote: Verdict
    /// The evidence the deciding rule rests on (only supporting pieces for `vote`; empty for `none`).
    public var evidence: [HostEvidence]

    public init(rule: VerdictFusion.Rule, vote: Verdict, evidence: [HostEvidence]) {
        self.rule = rule
        self.vote = vote
        self.evidence = evidence
    }

    /// A host with no decision yet.
    public static let undecided = FusedVerdict(rule: .none, vote: Verdict(state: .undecided, score: 0, windows: 0),
                                               evidence: [])

    /// *mining*, *suspect*, or nil when no rule holds.
    public var level: VerdictFusion.Level? { rule.level }

    /// A host's verdict in one word, as every report names it: the level when a rule holds, else the vote's state.
    public enum State: String, Hashable, Sendable, CaseIterable {
        case mining
        case suspect
        /// No rule holds and the vote has decided: not mining.
        case normal
        /// No rule holds and the vote has too few windows to decide.
        case undecided
    }

    /// The verdict in one word (`State`).
    public var state: State {
        switch level {
        case .mining: .mining
        case .suspect: .suspect
        case nil: vote.state == .undecided ? .undecided : .normal
        }
    }

    /// Whether the verdict is *mining* (confirmed by protocol or pool evidence): what alerts at that level and inline
    /// blocks follow.
    public var isMining: Bool { level == .mining }

    /// Whether any rule holds (*mining* or *suspect*).
    public var isAlarm: Bool { level != nil }
}
