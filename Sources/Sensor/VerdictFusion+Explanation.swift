import Detection

extension VerdictFusion {
    /// One rule's standing for a host: whether it holds and, in words, what it saw or what it is missing.
    public struct RuleStanding: Hashable, Sendable {
        public var rule: Rule
        public var holds: Bool
        public var detail: String
    }

    /// Every rule's standing for a host, in the rules' order: what `coinsentryctl host` shows so an operator sees why a
    /// host is (or is not) *mining* and what each rule still needs ("needs a vote share above 0.30, now 0.12").
    public func explain(vote: Verdict, evidence: [HostEvidence], previous: FusedVerdict? = nil) -> [RuleStanding] {
        let weights = evidence.map(weight(of:))
        let strong = zip(evidence, weights).filter { $0.1 == .strong }.map(\.0)
        let pool = zip(evidence, weights).filter { $0.1 == .strong || $0.1 == .weak }.map(\.0)
        let share = String(format: "%.2f", vote.score)
        var standings = [RuleStanding]()

        let sessions = evidence.filter { if case .stratum = $0 { true } else { false } }
        standings.append(RuleStanding(
            rule: .stratum, holds: settings.stratumDecisive && !sessions.isEmpty,
            detail: sessions.isEmpty ? "no clear-text mining protocol seen"
                : "\(sessions.count) clear-text mining session(s)" + (settings.stratumDecisive ? "" : " (not decisive here)")))

        let names = evidence.compactMap { piece -> (remote: EvidenceEndpoint?, name: String, connected: Double)? in
            if case .poolName(let remote, let name, _, let connected) = piece { return (remote, name, connected) }
            return nil
        }
        let needed = Int(settings.poolNameConnectionSeconds)
        let connected = names.filter { $0.remote != nil && $0.connected >= settings.poolNameConnectionSeconds }
        standings.append(RuleStanding(
            rule: .poolNameConnection, holds: !connected.isEmpty,
            detail: names.isEmpty ? "no pool name seen"
                : names.map { name in
                    guard let remote = name.remote else { return "\(name.name) looked up, no connection to it seen" }
                    return "\(name.name): connection to \(remote) lived \(Int(name.connected)) s of \(needed) s"
                }.joined(separator: "; ")))

        let distinct = Set(pool.map(\.identity)).count
        standings.append(RuleStanding(
            rule: .strongEvidence,
            holds: settings.strongPiecesForMining > 0 && !strong.isEmpty && distinct >= settings.strongPiecesForMining,
            detail: settings.strongPiecesForMining == 0 ? "off (verdict.strong_pieces = 0)"
                : "\(distinct) of \(settings.strongPiecesForMining) pieces of pool evidence, \(strong.count) strong "
                  + "(needs one strong)"))

        let threshold = supportThreshold(after: previous)
        let voteCounts = canSupport(vote)
        standings.append(RuleStanding(
            rule: .strongEvidenceAndVote,
            holds: !strong.isEmpty && voteCounts && vote.score > threshold,
            detail: (strong.isEmpty ? "needs a pool-shaped flow or a connected pool name; " : "")
                + (voteCounts ? "needs a vote share above \(String(format: "%.2f", threshold)), now \(share)"
                              : "the vote has too few windows (\(vote.windows))")))

        standings.append(RuleStanding(
            rule: .evidence, holds: !pool.isEmpty,
            detail: pool.isEmpty ? "no pool evidence" : "\(pool.count) piece(s) of pool evidence"))

        standings.append(RuleStanding(
            rule: .vote, holds: vote.isMining,
            detail: vote.state != .undecided
                ? "vote share \(share) over \(vote.windows) windows (the model's threshold decides)"
                : "undecided: \(vote.windows) windows voted so far"))
        return standings
    }
}
