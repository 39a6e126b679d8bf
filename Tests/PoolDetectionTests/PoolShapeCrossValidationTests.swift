import Capture
import Foundation
import PoolDetection
import PoolTraining
import Testing

/// Cross-validation by capture inside the training set, and the flow summaries it and `train-pool` read: the ones the
/// sensor reports, without those too young for the model. Runs on the project's own recordings only.
@Suite struct PoolShapeCrossValidationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let pool = ["captures/pool/stratum-tls-train.pcap", "captures/pool/monero-clear-train.pcap"]
    static let ordinary = ["captures/ordinary/poll-tls-60s-train.pcap", "captures/ordinary/push-tls-180s-train.pcap",
                           "captures/ordinary/websocket-tls-30s-train.pcap"]

    static func capture(_ path: String, isPool: Bool, minimumAge: Double = PoolShapeModel.defaultMinimumAge) throws
        -> PoolShapeCrossValidation.LabelledCapture {
        let shapes = try FlowShapeCollector.summaries(
            of: root.appendingPathComponent(path).path,
            localNetworks: isPool ? ["127.0.0.2/32"] : FlowShapeCollector.everyNetwork,
            minimumAge: minimumAge, youngSummaries: false)
        return .init(name: path, isPool: isPool, shapes: shapes)
    }

    @Test func summariesAreThoseTheSensorReportsLessTheTooYoung() throws {
        let path = Self.root.appendingPathComponent(Self.ordinary[0]).path
        let everyNetwork = FlowShapeCollector.everyNetwork
        let sensorView = try FlowShapeCollector.summaries(of: path, localNetworks: everyNetwork, minimumAge: 120)
        let old = try FlowShapeCollector.summaries(of: path, localNetworks: everyNetwork, minimumAge: 600)
        #expect(!old.isEmpty && old.count < sensorView.count)
        #expect(old.allSatisfy { $0.age >= 600 })
        #expect(old == sensorView.filter { $0.age >= 600 })
    }

    @Test func trainingRowsAreAMinuteApartWhileTheSensorReportsYoungFlowsMoreOften() throws {
        let path = Self.root.appendingPathComponent(Self.pool[0]).path
        let sensor = try FlowShapeCollector.summaries(of: path, localNetworks: ["127.0.0.2/32"], minimumAge: 120)
        let training = try FlowShapeCollector.summaries(of: path, localNetworks: ["127.0.0.2/32"], minimumAge: 120,
                                                        youngSummaries: false)
        // Gaps between a flow's live summaries younger than 600 s, flow by flow.
        func gaps(_ shapes: [FlowShape]) -> [Double] {
            Dictionary(grouping: shapes.filter { !$0.ended && $0.age < 600 }, by: \.flowKey).values.flatMap { flow in
                zip(flow, flow.dropFirst()).map { $0.1.age - $0.0.age }
            }.sorted()
        }
        let (sensorGaps, trainingGaps) = (gaps(sensor), gaps(training))
        #expect(!trainingGaps.isEmpty && trainingGaps.allSatisfy { $0 >= 55 }, "\(trainingGaps)")
        // A summary goes out only when the flow has new messages, so a quiet pool flow's gaps can be longer than 15 s.
        #expect(sensorGaps.count > trainingGaps.count && sensorGaps[0] < 30, "\(sensorGaps)")
    }

    @Test func everyCaptureIsScoredByAModelTrainedWithoutIt() throws {
        let captures = try Self.pool.map { try Self.capture($0, isPool: true) }
            + Self.ordinary.map { try Self.capture($0, isPool: false) }
        let trainer = PoolShapeTrainer()
        let evaluation = try PoolShapeCrossValidation.leaveOneCaptureOut(captures, trainer: trainer)
        #expect(Set(evaluation.missedPerPoolCapture.keys) == Set(Self.pool))
        #expect(Set(evaluation.falseAlarmsPerCapture.keys) == Set(Self.ordinary))
        // Each capture's count is what a model trained on the other captures alone gives it.
        for held in captures {
            let rest = captures.filter { $0.name != held.name }
            let record = PoolTrainingRecord(poolCaptures: [], ordinaryCaptures: [], poolSummaries: 0,
                                            ordinarySummaries: 0)
            let model = try trainer.train(pool: rest.filter(\.isPool).flatMap(\.shapes),
                                          ordinary: rest.filter { !$0.isPool }.flatMap(\.shapes), record: record)
            let scores = FlowShapeCollector.flowScores(held.shapes, model: model)
            let flagged = scores.values.filter { $0 > PoolShapeTracker.poolShapedScore }.count
            if held.isPool {
                #expect(evaluation.missedPerPoolCapture[held.name] == scores.count - flagged, "\(held.name)")
            } else {
                #expect(evaluation.falseAlarmsPerCapture[held.name] == flagged, "\(held.name)")
            }
        }
    }

    @Test func theEarlyStageIsTrainedApartOnYoungerSummariesWithItsOwnThreshold() throws {
        let captures = try Self.pool.map { try Self.capture($0, isPool: true, minimumAge: 120) }
            + Self.ordinary.map { try Self.capture($0, isPool: false, minimumAge: 120) }
        let pool = captures.filter(\.isPool).flatMap(\.shapes)
        let ordinary = captures.filter { !$0.isPool }.flatMap(\.shapes)
        #expect(pool.contains { $0.age < 600 } && ordinary.contains { $0.age < 600 })
        let record = PoolTrainingRecord(poolCaptures: [], ordinaryCaptures: [], poolSummaries: 0, ordinarySummaries: 0)
        let staged = PoolShapeTrainer(earlyMinimumAge: 120, earlyConfidenceMessages: 20, earlyThreshold: 0.5)
        #expect(staged.youngestAge == 120)
        let model = try staged.train(pool: pool, ordinary: ordinary, record: record)
        let early = try #require(model.early)
        #expect(early.minimumAge == 120 && early.confidenceMessages == 20 && early.threshold == 0.5)
        // The ten-minute stage is the one a trainer without an early stage makes: young summaries do not change it.
        let single = try PoolShapeTrainer().train(pool: pool, ordinary: ordinary, record: record)
        #expect(single.early == nil && model.stage == single.stage && model.training == single.training)
        // The early stage is fitted on the young summaries too, so it differs from the ten-minute one.
        #expect(early.classifier != model.stage.classifier)
    }

    /// `train-pool --cross-validate --export-features`: each row carries the decision value and confidence of the
    /// stage that judges it in the model trained without its capture, so no script re-implements the scoring.
    @Test func theExportedRowsCarryTheHeldOutModelsDecision() throws {
        let captures = try Self.pool.map { try Self.capture($0, isPool: true, minimumAge: 120) }
            + Self.ordinary.map { try Self.capture($0, isPool: false, minimumAge: 120) }
        let trainer = PoolShapeTrainer(earlyMinimumAge: 120, earlyConfidenceMessages: 20, earlyThreshold: 0.5)
        var models = [String: PoolShapeModel]()
        _ = try PoolShapeCrossValidation.leaveOneCaptureOut(captures, trainer: trainer) { models[$0.name] = $1 }
        #expect(Set(models.keys) == Set(captures.map(\.name)))
        let lines = PoolFeatureTable.csv(captures, models: models).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        #expect(header.suffix(3) == ["held_out_decision", "held_out_confidence", "held_out_within"])
        let rows = Array(lines.dropFirst())
        #expect(rows.count == captures.map(\.shapes.count).reduce(0, +))
        var index = 0
        for capture in captures {
            let model = try #require(models[capture.name])
            for shape in capture.shapes {
                let fields = rows[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                index += 1
                #expect(fields.count == header.count)
                let stage = try #require(model.stage(scoring: shape))
                let decision = try #require(stage.decision(shape))
                #expect(Double(fields[fields.count - 3]) == decision, "\(capture.name) at \(shape.age) s")
                #expect(Double(fields[fields.count - 2]) == stage.confidence(shape))
                #expect(fields[fields.count - 1] == "1") // no envelope: every row is within
            }
        }
        // Without models the table has no score columns.
        #expect(!PoolFeatureTable.csv(captures).contains("held_out_decision"))
    }

    @Test func leavingOutTheOnlyCaptureOfAClassIsRefusedSayingWhy() throws {
        let captures = [try Self.capture(Self.pool[0], isPool: true), try Self.capture(Self.ordinary[0], isPool: false)]
        #expect {
            try PoolShapeCrossValidation.leaveOneCaptureOut(captures, trainer: PoolShapeTrainer())
        } throws: { error in
            "\(error)".contains("no pool flow summary") || "\(error)".contains("no ordinary flow summary")
        }
    }
}
