import Capture
import Detection
import Foundation
import PoolDetection
import Sensor
import TestSupport
import Testing

/// The offline runner in-process: a held-out TLS pool recording through capture, windows, model, vote and evidence,
/// with the shipped models, and its alerts counted per episode as the daemon raises them.
@Suite struct OfflineReplayTests {
    static let root = PythonReference.packageRoot
    static let capture = "\(root)/captures/pool/stratum-tls-heldout.pcap"

    static func replay(evidence: Set<EvidenceKind>? = nil) throws -> OfflineReplay.Result {
        let model = try DetectionModel.load("\(root)/etc/coinsentry/model.json", sensorIntervalSeconds: 1)
        let poolModel = try PoolShapeModel.load("\(root)/etc/coinsentry/pool-model.json")
        var configuration = CaptureConfiguration(source: .file(capture), localNetworks: [try IPNetwork("127.0.0.2/32")])
        configuration.poolDomains = try PoolDomainList(files: ["\(root)/etc/coinsentry/pool-domains.txt"])
        let pipeline = try SensorPipeline(model: model, poolModel: poolModel)
        return try OfflineReplay(configuration: configuration, pipeline: pipeline, poolModel: poolModel,
                                 evidenceKinds: evidence).run()
    }

    @Test func aTLSPoolSessionWithItsNameInTheSNIIsMiningByItsConnection() throws {
        let result = try Self.replay()
        let miner = HostAddress("127.0.0.2")!
        let status = try #require(result.pipeline?.hosts[miner])
        #expect(status.level == .mining && status.fused.rule == .poolNameConnection)
        #expect(result.changes.contains { $0.host == miner && $0.fused.level == .mining })
        #expect(!(result.poolShapes[miner] ?? []).isEmpty, "the pipeline's own pool-shape scores are reported")

        var evaluation = CaptureEvaluation()
        evaluation.add(capture: Self.capture, result: result) { $0 == miner ? true : nil }
        #expect(evaluation.summary.miningHosts == 1 && evaluation.summary.mining.detected == 1)
        let latency = try #require(evaluation.hosts.first?.latencySeconds)
        #expect(latency >= 120, "a pool name counts once its connection has lived two minutes")
        #expect(evaluation.hosts.first?.alarms == 1, "one mining alert for the episode")
    }

    @Test func leavingTheNamesOutLeavesTheShapeAndTheVote() throws {
        let result = try Self.replay(evidence: [.stratum, .poolShape])
        let status = try #require(result.pipeline?.hosts[HostAddress("127.0.0.2")!])
        #expect(!status.evidence.contains { $0.evidence.kind == .poolName })
        #expect(status.fused.rule != .poolNameConnection)
    }
}
