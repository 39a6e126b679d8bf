import DetectionTraining
import Testing
@testable import Detection

@Suite struct VoteTests {
    let settings = VoteSettings(length: 10, threshold: 0.55, minimumWindows: 4, clearThreshold: 0.3)

    @Test func noVerdictBeforeTheMinimumWindows() {
        var vote = HostVote(settings: settings)
        for _ in 0..<3 { #expect(vote.add(true).state == .undecided) }
        let verdict = vote.add(true)
        #expect(verdict == Verdict(state: .mining, score: 1, windows: 4))
    }

    @Test func miningNeedsMoreThanTheThresholdShare() {
        var vote = HostVote(settings: VoteSettings(length: 20, threshold: 0.55, minimumWindows: 20))
        var verdict = Verdict(state: .undecided, score: 0, windows: 0)
        for index in 0..<20 { verdict = vote.add(index < 11) }  // 11 / 20 = 0.55: not above
        #expect(verdict.state == .normal)
        #expect(verdict.score == 0.55)
        verdict = vote.add(true)  // oldest (mining) drops out, a mining one comes in: still 0.55
        #expect(verdict.state == .normal)
        for _ in 0..<10 { verdict = vote.add(true) }  // the other mining decisions age out: still 11 / 20
        #expect(verdict.state == .normal)
        verdict = vote.add(true)  // the oldest normal decision ages out: 12 / 20
        #expect(verdict.state == .mining)
        #expect(verdict.windows == 20)
    }

    @Test func hysteresisHoldsTheVerdictUntilTheClearThreshold() {
        var vote = HostVote(settings: settings)
        for _ in 0..<10 { _ = vote.add(true) }
        var states = [Verdict.State]()
        for _ in 0..<10 { states.append(vote.add(false).state) }
        // Shares after each normal decision: 0.9 … 0.0; it clears at 0.3 (the 7th), not at 0.5.
        #expect(states == [.mining, .mining, .mining, .mining, .mining, .mining, .normal, .normal, .normal, .normal])
    }

    @Test func voterKeepsHostsApart() {
        var voter = Voter<String>(settings: settings)
        for _ in 0..<4 {
            _ = voter.add(host: "a", mining: true)
            _ = voter.add(host: "b", mining: false)
        }
        #expect(voter.verdict(for: "a")?.isMining == true)
        #expect(voter.verdict(for: "b")?.state == .normal)
        voter.remove("a")
        #expect(voter.verdict(for: "a") == nil)
    }

    @Test func evaluationCountsVotesAndLatency() {
        let result = TraceEvaluation.evaluate(
            decisions: [false, true, true, true, true, true], endIntervals: [119, 139, 159, 179, 199, 219],
            vote: settings, intervalSeconds: 1, isMining: true)
        #expect(result.windows.truePositives == 5 && result.windows.falseNegatives == 1)
        // Shares: 0, .5, .67 (3 windows: undecided), 0.75 at the 4th window → mining from the window ending at 179.
        #expect(result.voted.truePositives == 3 && result.voted.falseNegatives == 3)
        #expect(result.latencySeconds == 180)
    }

    @Test(arguments: [
        VoteSettings(length: 0), VoteSettings(length: 10, minimumWindows: 11),
        VoteSettings(threshold: 0.5, clearThreshold: 0.6), VoteSettings(threshold: 1),
    ])
    func refusesIncoherentVoteSettings(settings: VoteSettings) {
        #expect(throws: ModelError.self) { try settings.validate() }
    }
}
