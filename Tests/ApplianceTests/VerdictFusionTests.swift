import Capture
import Detection
import Sensor
import Testing

/// The fused verdict's rules on constructed cases: each rule alone, the order between them, their settings, and the
/// pipeline's handling of evidence (at once, refreshed, expired).
@Suite struct VerdictFusionTests {
    static let host = HostAddress("10.0.0.5")!
    static let pool = HostAddress("203.0.113.7")!

    static func vote(_ state: Verdict.State, _ score: Double, windows: Int = 20) -> Verdict {
        Verdict(state: state, score: score, windows: windows)
    }

    static let stratum = HostEvidence.stratum(MiningEvidence(
        host: host, remote: pool, remotePort: 3333, localPort: 40000, dialect: .stratum, role: .miner,
        worker: "rig1", interval: 0))
    static let shape = HostEvidence.poolShape(remote: EvidenceEndpoint(address: pool, port: 443), score: 0.9)
    static let weakShape = HostEvidence.poolShape(remote: EvidenceEndpoint(address: pool, port: 443), score: 0.3)
    static let name = HostEvidence.poolName(remote: EvidenceEndpoint(address: pool), name: "xmr.pool.example",
                                            source: .sni)

    static let tlsPoolPort = HostEvidence.tlsPoolPort(remote: EvidenceEndpoint(address: pool, port: 3333))

    /// A flow summary of a TLS session `host` opened to `port`.
    static func tlsFlow(port: UInt16, localIsClient: Bool = true, tls: Bool = true) -> FlowShape {
        let none = FlowShape.Series(mean: 0, deviation: 0)
        return FlowShape(host: host, remote: pool, remotePort: port, localPort: 40000, localIsClient: localIsClient,
                         clientSpeaksTLS: tls, serverSpeaksTLS: tls, ended: false, requests: 0, replies: 0, pushes: 0,
                         badRecords: 0, age: 300, maxIdle: 0, pushSize: none, pushGap: none, requestSize: none,
                         requestGap: none, replySize: none, replyDelay: none, clientBytes: 0, serverBytes: 0,
                         clientMessages: 0, serverMessages: 0, interval: 7)
    }

    @Test func aTLSSessionToAPoolPortIsEvidenceButNeverAVerdict() {
        var settings = VerdictFusion.Settings()
        settings.strongPiecesForMining = 1
        let fusion = VerdictFusion(settings: settings)
        for vote in [Self.vote(.undecided, 0, windows: 0), Self.vote(.normal, 0.5)] {
            #expect(!fusion.decide(vote: vote, evidence: [Self.tlsPoolPort]).isMining)
        }
        // Named beside a verdict another rule reaches.
        let verdict = fusion.decide(vote: Self.vote(.normal, 0), evidence: [Self.name, Self.tlsPoolPort])
        #expect(verdict.rule == .strongEvidence && verdict.evidence == [Self.name, Self.tlsPoolPort])
        #expect(fusion.decide(vote: Self.vote(.mining, 0.9), evidence: [Self.tlsPoolPort]).evidence == [Self.tlsPoolPort])
    }

    @Test func onlyTLSSessionsTheHostOpensToAPoolPortAreReported() {
        var intake = EvidenceIntake()
        let ports = VerdictFusion.Settings().poolPorts
        let found = intake.take(.flowShape(Self.tlsFlow(port: 3333)), poolPorts: ports)
        #expect(found.map(\.evidence) == [Self.tlsPoolPort] && found.first?.interval == 7)
        #expect(intake.take(.flowShape(Self.tlsFlow(port: 443)), poolPorts: ports).isEmpty)
        #expect(intake.take(.flowShape(Self.tlsFlow(port: 3333, tls: false)), poolPorts: ports).isEmpty)
        #expect(intake.take(.flowShape(Self.tlsFlow(port: 3333, localIsClient: false)), poolPorts: ports).isEmpty)
    }

    @Test func stratumIsDecisiveWhateverTheVote() {
        let fusion = VerdictFusion()
        for vote in [Self.vote(.undecided, 0, windows: 0), Self.vote(.normal, 0)] {
            let verdict = fusion.decide(vote: vote, evidence: [Self.stratum])
            #expect(verdict.rule == .stratum && verdict.isMining)
            #expect(verdict.evidence == [Self.stratum])
        }
        var settings = VerdictFusion.Settings()
        settings.stratumDecisive = false
        #expect(!VerdictFusion(settings: settings).decide(vote: Self.vote(.normal, 0), evidence: [Self.stratum])
            .isMining, "with stratum_decisive off and nothing else, no rule holds")
    }

    @Test func twoStrongPiecesMakeMiningWithoutAVote() {
        let fusion = VerdictFusion()
        let verdict = fusion.decide(vote: Self.vote(.undecided, 0, windows: 0), evidence: [Self.shape, Self.name])
        #expect(verdict.rule == .strongEvidence)
        #expect(Set(verdict.evidence) == [Self.shape, Self.name])
        // The same piece twice is one piece; a pool shape below its minimum score is no piece.
        #expect(!fusion.decide(vote: Self.vote(.normal, 0), evidence: [Self.name, Self.name]).isMining)
        #expect(!fusion.decide(vote: Self.vote(.normal, 0), evidence: [Self.weakShape, Self.name]).isMining)
        var settings = VerdictFusion.Settings()
        settings.strongPiecesForMining = 0
        let off = VerdictFusion(settings: settings)
        #expect(!off.decide(vote: Self.vote(.normal, 0), evidence: [Self.shape, Self.name]).isMining,
                "strong_pieces = 0 turns the rule off")
    }

    @Test func oneStrongPieceNeedsAWeakerVoteThanStatisticsAlone() {
        let fusion = VerdictFusion()
        // 0.35 is below the model's own 0.55 but above strong_vote 0.30: mining only with the piece.
        #expect(!fusion.decide(vote: Self.vote(.normal, 0.35), evidence: []).isMining)
        let verdict = fusion.decide(vote: Self.vote(.normal, 0.35), evidence: [Self.name])
        #expect(verdict.rule == .strongEvidenceAndVote && verdict.evidence == [Self.name])
        #expect(!fusion.decide(vote: Self.vote(.normal, 0.25), evidence: [Self.name]).isMining)
        #expect(!fusion.decide(vote: Self.vote(.undecided, 0.9, windows: 3), evidence: [Self.shape]).isMining,
                "an undecided vote (fewer windows than the model's minimum) does not count")
        // Hysteresis: once mining by this rule it holds down to strong_vote_clear (0.20).
        #expect(fusion.decide(vote: Self.vote(.normal, 0.25), evidence: [Self.name], previous: verdict).isMining)
        #expect(!fusion.decide(vote: Self.vote(.normal, 0.20), evidence: [Self.name], previous: verdict).isMining)
    }

    @Test func statisticsAloneFollowTheModelsVote() {
        let fusion = VerdictFusion()
        let verdict = fusion.decide(vote: Self.vote(.mining, 0.6), evidence: [Self.weakShape])
        #expect(verdict.rule == .vote && verdict.evidence.isEmpty)
        #expect(fusion.decide(vote: Self.vote(.normal, 0.5), evidence: []).rule == .none)
    }

    @Test func rulesApplyInOrderStratumFirst() {
        let verdict = VerdictFusion().decide(vote: Self.vote(.mining, 0.9),
                                             evidence: [Self.shape, Self.stratum, Self.name])
        #expect(verdict.rule == .stratum)
        #expect(VerdictFusion().decide(vote: Self.vote(.mining, 0.9), evidence: [Self.shape, Self.name]).rule
                == .strongEvidence)
    }

    @Test func pipelineActsOnStratumAtOnceAndLetsEvidenceExpire() throws {
        let model = try DetectionModel.load(EndToEndTests.root.appendingPathComponent("etc/coinsentry/model.json").path,
                                            sensorIntervalSeconds: 1)
        var settings = VerdictFusion.Settings()
        settings.evidenceHoldSeconds = 30
        var pipeline = try SensorPipeline(model: model, fusion: VerdictFusion(settings: settings))
        let changes = pipeline.add(Self.stratum, for: Self.host, interval: 100)
        #expect(changes.count == 1 && changes.first?.fused.rule == .stratum && changes.first?.fused.isMining == true)
        #expect(pipeline.hosts[Self.host]?.isMining == true)
        // The same session again refreshes it (no second piece, no second change).
        #expect(pipeline.add(Self.stratum, for: Self.host, interval: 120).isEmpty)
        #expect(pipeline.hosts[Self.host]?.evidence.count == 1)
        #expect(pipeline.handle(.intervalClosed(index: 150)).isEmpty, "30 s after the last report it still counts")
        let cleared = pipeline.handle(.intervalClosed(index: 151))
        #expect(cleared.count == 1 && cleared.first?.fused.isMining == false, "then it expires and the verdict clears")
        #expect(pipeline.hosts[Self.host]?.evidence.isEmpty == true)
    }
}
