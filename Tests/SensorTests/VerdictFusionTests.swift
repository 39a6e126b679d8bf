import Capture
import Foundation
import Detection
import Sensor
import Testing
import TestSupport
import Traces

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

    /// A pool name tied to the pool's address, whose connection has lived `seconds`.
    static func connectedName(_ seconds: Double) -> HostEvidence {
        .poolName(remote: EvidenceEndpoint(address: pool, port: 443), name: "xmr.pool.example", source: .dns,
                  connected: seconds)
    }

    @Test func aTLSSessionToAPoolPortIsEvidenceButNeverAVerdict() {
        let fusion = VerdictFusion()
        for vote in [Self.vote(.undecided, 0, windows: 0), Self.vote(.normal, 0.5)] {
            #expect(fusion.decide(vote: vote, evidence: [Self.tlsPoolPort]).level == nil)
        }
        // Named beside a verdict another rule reaches.
        let verdict = fusion.decide(vote: Self.vote(.normal, 0), evidence: [Self.shape, Self.name, Self.tlsPoolPort])
        #expect(verdict.rule == .strongEvidence && verdict.evidence == [Self.shape, Self.name, Self.tlsPoolPort])
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
            #expect(verdict.rule == .stratum && verdict.level == .mining)
            #expect(verdict.evidence == [Self.stratum])
        }
        var settings = VerdictFusion.Settings()
        settings.stratumDecisive = false
        #expect(VerdictFusion(settings: settings).decide(vote: Self.vote(.normal, 0), evidence: [Self.stratum])
            .level == nil, "with stratum_decisive off and nothing else, no rule holds")
    }

    @Test func theVoteAloneIsOnlyASuspect() {
        let fusion = VerdictFusion()
        let verdict = fusion.decide(vote: Self.vote(.mining, 0.95, windows: 50), evidence: [Self.weakShape])
        #expect(verdict.rule == .vote && verdict.level == .suspect && !verdict.isMining && verdict.isAlarm)
        #expect(verdict.evidence.isEmpty)
        #expect(fusion.decide(vote: Self.vote(.normal, 0.5), evidence: []).rule == .none)
    }

    @Test func aPoolNameLookedUpIsASuspectAndALongConnectionToItsAddressIsMining() {
        let fusion = VerdictFusion()
        let lookup = HostEvidence.poolName(remote: nil, name: "xmr.pool.example", source: .dns)
        #expect(fusion.decide(vote: Self.vote(.normal, 0), evidence: [lookup]).level == .suspect)
        #expect(fusion.decide(vote: Self.vote(.normal, 0), evidence: [Self.name]).level == .suspect,
                "a TLS session with the name as SNI that has not lived long yet is weak")
        #expect(fusion.decide(vote: Self.vote(.normal, 0), evidence: [Self.connectedName(119)]).level == .suspect)
        let verdict = fusion.decide(vote: Self.vote(.undecided, 0, windows: 0), evidence: [Self.connectedName(120)])
        #expect(verdict.rule == .poolNameConnection && verdict.level == .mining)
        #expect(fusion.weight(of: lookup) == .weak && fusion.weight(of: Self.connectedName(600)) == .strong)
    }

    @Test func aPoolShapedFlowWithAPoolNameIsMiningWithoutAVote() {
        let fusion = VerdictFusion()
        let verdict = fusion.decide(vote: Self.vote(.undecided, 0, windows: 0), evidence: [Self.shape, Self.name])
        #expect(verdict.rule == .strongEvidence && verdict.level == .mining)
        #expect(Set(verdict.evidence) == [Self.shape, Self.name])
        // Two weak pieces are not enough; the same piece twice is one piece; a weak shape is no piece.
        let other = HostEvidence.poolName(remote: nil, name: "other.pool.example", source: .dns)
        #expect(fusion.decide(vote: Self.vote(.normal, 0), evidence: [Self.name, other]).level == .suspect)
        #expect(fusion.decide(vote: Self.vote(.normal, 0), evidence: [Self.shape, Self.shape]).level == .suspect)
        #expect(fusion.decide(vote: Self.vote(.normal, 0), evidence: [Self.weakShape, Self.name]).level == .suspect)
        var settings = VerdictFusion.Settings()
        settings.strongPiecesForMining = 0
        let off = VerdictFusion(settings: settings)
        #expect(off.decide(vote: Self.vote(.normal, 0), evidence: [Self.shape, Self.name]).level == .suspect,
                "strong_pieces = 0 turns the rule off")
    }

    @Test func onePoolShapedFlowNeedsTheVoteToBeMining() {
        let fusion = VerdictFusion()
        #expect(fusion.decide(vote: Self.vote(.normal, 0.35), evidence: []).level == nil)
        #expect(fusion.decide(vote: Self.vote(.normal, 0), evidence: [Self.shape]).level == .suspect)
        // 0.35 is below the model's own 0.55 but above strong_vote 0.30: mining with the pool-shaped flow.
        let verdict = fusion.decide(vote: Self.vote(.normal, 0.35), evidence: [Self.shape])
        #expect(verdict.rule == .strongEvidenceAndVote && verdict.evidence == [Self.shape] && verdict.isMining)
        #expect(fusion.decide(vote: Self.vote(.normal, 0.25), evidence: [Self.shape]).level == .suspect)
        #expect(fusion.decide(vote: Self.vote(.undecided, 0.9, windows: 2), evidence: [Self.shape]).level == .suspect,
                "a vote over fewer than strong_vote_windows (3) windows does not count")
        // A pool name looked up is weak: with the vote it stays a suspect.
        #expect(fusion.decide(vote: Self.vote(.mining, 0.9), evidence: [Self.name]).level == .suspect)
        // Hysteresis: once mining by this rule it holds down to strong_vote_clear (0.20).
        #expect(fusion.decide(vote: Self.vote(.normal, 0.25), evidence: [Self.shape], previous: verdict).isMining)
        #expect(!fusion.decide(vote: Self.vote(.normal, 0.20), evidence: [Self.shape], previous: verdict).isMining)
    }

    @Test func theVoteSupportsAStrongPieceFromItsThirdWindow() {
        let fusion = VerdictFusion()
        #expect(fusion.settings.strongVoteWindows == 3)
        // Three windows, one of them mining: a share of 0.33, above strong_vote, before the vote itself decides.
        let early = fusion.decide(vote: Self.vote(.undecided, 1.0 / 3, windows: 3), evidence: [Self.shape])
        #expect(early.rule == .strongEvidenceAndVote && early.isMining)
        #expect(fusion.explain(vote: Self.vote(.undecided, 1.0 / 3, windows: 3), evidence: [Self.shape])
            .first { $0.rule == .strongEvidenceAndVote }?.holds == true, "the explanation agrees with the rule")
        #expect(fusion.decide(vote: Self.vote(.undecided, 0.25, windows: 4), evidence: [Self.shape]).level == .suspect)
        // strong_vote_windows = 0: only a decided vote (the model's own minimum) supports.
        var settings = VerdictFusion.Settings()
        settings.strongVoteWindows = 0
        let decidedOnly = VerdictFusion(settings: settings)
        #expect(decidedOnly.decide(vote: Self.vote(.undecided, 0.9, windows: 9), evidence: [Self.shape]).level
                == .suspect)
        #expect(decidedOnly.decide(vote: Self.vote(.normal, 0.35), evidence: [Self.shape]).isMining)
        // The vote alone never makes a host mining, however early or high.
        #expect(fusion.decide(vote: Self.vote(.undecided, 1, windows: 3), evidence: []).level == nil)
    }

    @Test func rulesApplyInOrderStratumFirst() {
        let verdict = VerdictFusion().decide(vote: Self.vote(.mining, 0.9),
                                             evidence: [Self.shape, Self.stratum, Self.name])
        #expect(verdict.rule == .stratum)
        #expect(VerdictFusion().decide(vote: Self.vote(.mining, 0.9), evidence: [Self.shape, Self.name]).rule
                == .strongEvidence)
        #expect(VerdictFusion().decide(vote: Self.vote(.mining, 0.9), evidence: [Self.shape, Self.connectedName(300)])
                .rule == .poolNameConnection)
    }

    @Test func aFlowSummaryTellsAPoolNameHowLongItsConnectionLived() throws {
        let model = try DetectionModel.load("\(PythonReference.packageRoot)/etc/coinsentry/model.json",
                                            sensorIntervalSeconds: 1)
        var pipeline = try SensorPipeline(model: model)
        let bound = HostEvidence.poolName(remote: EvidenceEndpoint(address: Self.pool), name: "xmr.pool.example",
                                          source: .dns)
        let first = pipeline.add(bound, for: Self.host, interval: 5)
        #expect(first.first?.fused.level == .suspect && first.first?.previous == nil)
        var flow = Self.tlsFlow(port: 443)
        flow.age = 60
        #expect(pipeline.add(.flowShape(flow)).isEmpty, "a minute is not long-lived yet")
        flow.age = 130
        flow.interval = 130
        let rose = pipeline.add(.flowShape(flow))
        #expect(rose.count == 1 && rose.first?.previous == .suspect && rose.first?.fused.rule == .poolNameConnection)
        // A later report of the lookup keeps what the connection taught.
        #expect(pipeline.add(bound, for: Self.host, interval: 140).isEmpty)
        #expect(pipeline.hosts[Self.host]?.level == .mining)
        // A flow to another address teaches nothing.
        var unrelated = Self.tlsFlow(port: 443)
        unrelated.remote = HostAddress("198.51.100.1")!
        unrelated.age = 900
        var other = try SensorPipeline(model: model)
        _ = other.add(bound, for: Self.host, interval: 5)
        #expect(other.add(.flowShape(unrelated)).isEmpty && other.hosts[Self.host]?.level == .suspect)
    }

    @Test func aClockStepMovesWhatHostsHoldWithTheIntervals() throws {
        let model = try DetectionModel.load("\(PythonReference.packageRoot)/etc/coinsentry/model.json",
                                            sensorIntervalSeconds: 1)
        var pipeline = try SensorPipeline(model: model)
        let bound = HostEvidence.poolName(remote: EvidenceEndpoint(address: Self.pool), name: "xmr.pool.example",
                                          source: .dns)
        _ = pipeline.handle(.host(HostInterval(host: Self.host, index: 1_000, counters: IntervalCounters(
            bytesReceived: 400, bytesSent: 100, packetsReceived: 2, packetsSent: 1))))
        _ = pipeline.add(bound, for: Self.host, interval: 1_000)
        #expect(pipeline.hosts[Self.host]?.level == .suspect)
        #expect(pipeline.hosts[Self.host]?.series.buckets.isEmpty == false)

        // The wall clock steps back three hours: the capture's indices from now on are 10,800 lower.
        _ = pipeline.handle(.discontinuity(from: 1_010, to: 1_010 - 10_800))
        let held = try #require(pipeline.hosts[Self.host])
        #expect(held.lastSeen == 1_000 - 10_800)
        #expect(held.evidence.first?.lastInterval == 1_000 - 10_800, "the evidence keeps its age")
        #expect(held.series.buckets.isEmpty, "the traffic series starts afresh")
        // So the evidence expires after its hold as usual, not three hours later.
        let hold = Int64(VerdictFusion.Settings().evidenceHoldSeconds)
        _ = pipeline.handle(.intervalClosed(index: 1_000 - 10_800 + hold + 1))
        #expect(pipeline.hosts[Self.host]?.evidence.isEmpty != false, "expired on time after the step back")
    }

    @Test func aCompatibleNewModelReScoresTheHeldWindowsAndTheSameModelChangesNothing() throws {
        let path = "\(PythonReference.packageRoot)/etc/coinsentry/model.json"
        let model = try DetectionModel.load(path, sensorIntervalSeconds: 1)
        var pipeline = try SensorPipeline(model: model)
        let busy = HostAddress("10.0.0.6")!
        for interval in Int64(0)..<900 {
            _ = pipeline.handle(.host(HostInterval(host: busy, index: interval, counters: IntervalCounters(
                bytesReceived: 300 + UInt64(interval % 7) * 40, bytesSent: 200, packetsReceived: 1 + UInt64(interval % 3),
                packetsSent: 1))))
            _ = pipeline.handle(.intervalClosed(index: interval))
        }
        let before = try #require(pipeline.hosts[busy]?.verdict)
        #expect(before.windows > 10)
        try pipeline.replace(model: model)
        #expect(pipeline.hosts[busy]?.verdict == before, "the same model again (a plain reload) keeps the vote")

        // A retrained model with the same windows and features: another id, its decisions shifted.
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        json["id"] = "retrained-\(UUID().uuidString.prefix(8))"
        var svc = json["svc"] as! [String: Any]
        svc["bias"] = (svc["bias"] as! Double) + 100
        json["svc"] = svc
        let retrained = FileManager.default.temporaryDirectory.appendingPathComponent("cs-model-\(UUID()).json").path
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: retrained))
        defer { try? FileManager.default.removeItem(atPath: retrained) }
        try pipeline.replace(model: try DetectionModel.load(retrained, sensorIntervalSeconds: 1))
        let after = try #require(pipeline.hosts[busy]?.verdict)
        #expect(after.windows == before.windows, "the held windows are re-scored, not dropped")
        #expect(after.score == 1, "a bias of +100 says mining for every re-scored window")
    }

    @Test func windowsWithTooFewPacketsAreNotVotedOn() throws {
        let model = try DetectionModel.load("\(PythonReference.packageRoot)/etc/coinsentry/model.json",
                                            sensorIntervalSeconds: 1)
        let sparse = Self.host, busy = HostAddress("10.0.0.6")!
        func run(floor: UInt64) throws -> SensorPipeline {
            var settings = VerdictFusion.Settings()
            settings.minimumWindowPackets = floor
            var pipeline = try SensorPipeline(model: model, fusion: VerdictFusion(settings: settings))
            for interval in Int64(0)..<800 {
                // The sparse host sends one packet every 30 s (4 per two-minute window); the busy one two a second.
                if interval % 30 == 0 {
                    _ = pipeline.handle(.host(HostInterval(host: sparse, index: interval, counters: IntervalCounters(
                        bytesSent: 60, packetsSent: 1))))
                }
                _ = pipeline.handle(.host(HostInterval(host: busy, index: interval, counters: IntervalCounters(
                    bytesReceived: 300, bytesSent: 200, packetsReceived: 1, packetsSent: 1))))
                _ = pipeline.handle(.intervalClosed(index: interval))
            }
            return pipeline
        }
        let floored = try run(floor: 10)
        #expect(floored.windowsBelowFloor > 0)
        #expect(floored.hosts[sparse]?.verdict.windows == 0, "the sparse host gets no statistical verdict")
        #expect((floored.hosts[busy]?.verdict.windows ?? 0) > 0)
        let open = try run(floor: 0)
        #expect(open.windowsBelowFloor == 0 && (open.hosts[sparse]?.verdict.windows ?? 0) > 0)
    }

    @Test func pipelineActsOnStratumAtOnceAndLetsEvidenceExpire() throws {
        let model = try DetectionModel.load("\(PythonReference.packageRoot)/etc/coinsentry/model.json",
                                            sensorIntervalSeconds: 1)
        var settings = VerdictFusion.Settings()
        settings.evidenceHoldSeconds = 30
        var pipeline = try SensorPipeline(model: model, fusion: VerdictFusion(settings: settings))
        let changes = pipeline.add(Self.stratum, for: Self.host, interval: 100)
        #expect(changes.count == 1 && changes.first?.fused.rule == .stratum && changes.first?.fused.isMining == true)
        #expect(changes.first?.previous == nil)
        #expect(pipeline.hosts[Self.host]?.isMining == true)
        // The same session again refreshes it (no second piece, no second change).
        #expect(pipeline.add(Self.stratum, for: Self.host, interval: 120).isEmpty)
        #expect(pipeline.hosts[Self.host]?.evidence.count == 1)
        #expect(pipeline.handle(.intervalClosed(index: 150)).isEmpty, "30 s after the last report it still counts")
        let cleared = pipeline.handle(.intervalClosed(index: 151))
        #expect(cleared.count == 1 && cleared.first?.fused.level == nil, "then it expires and the verdict clears")
        #expect(cleared.first?.clearedBecause == .evidenceExpired && cleared.first?.previous == .mining)
        #expect(pipeline.hosts[Self.host]?.evidence.isEmpty == true)
    }
}
