import Capture
import Foundation
import PoolDetection
import PoolTraining
import Testing

/// The envelope of a stage's pool rows: a flow unlike every pool trained on is not pool-shaped, however its decision
/// value extrapolates; the model file keeps it (version 4) and refuses it where it does not fit.
@Suite struct PoolFeatureEnvelopeTests {
    @Test func theBoundsAreThePoolRowsRangeWidenedByDeviations() {
        let envelope = PoolFeatureEnvelope(rows: [[1, 10], [3, 10], [2, 12]], deviations: [0.5, 2], margin: 1)
        #expect(envelope.low == [0.5, 8] && envelope.high == [3.5, 14] && envelope.margin == 1)
        #expect(envelope.contains([0.5, 14]) && envelope.contains([2, 9]))
        #expect(!envelope.contains([3.6, 10]) && !envelope.contains([2, 7.9]) && !envelope.contains([.nan, 10]))
    }

    static func trained(margin: Double?) throws -> (PoolShapeModel, pool: [FlowShape], ordinary: [FlowShape]) {
        let captures = try PoolShapeCrossValidationTests.pool.map {
            try PoolShapeCrossValidationTests.capture($0, isPool: true, minimumAge: 120)
        } + PoolShapeCrossValidationTests.ordinary.map {
            try PoolShapeCrossValidationTests.capture($0, isPool: false, minimumAge: 120)
        }
        let pool = captures.filter(\.isPool).flatMap(\.shapes)
        let ordinary = captures.filter { !$0.isPool }.flatMap(\.shapes)
        let record = PoolTrainingRecord(poolCaptures: [], ordinaryCaptures: [], poolSummaries: 0, ordinarySummaries: 0)
        let trainer = PoolShapeTrainer(earlyMinimumAge: 120, earlyConfidenceMessages: 20, earlyThreshold: 0.5,
                                       envelopeMargin: margin)
        return (try trainer.train(pool: pool, ordinary: ordinary, record: record), pool, ordinary)
    }

    @Test func eachStageKeepsItsPoolRowsAndScoresAFlowOutsideThemZero() throws {
        let (model, pool, _) = try Self.trained(margin: 0)
        let (plain, _, _) = try Self.trained(margin: nil)
        let early = try #require(model.early)
        #expect(model.stage.envelope?.margin == 0 && early.envelope?.margin == 0)
        #expect(plain.stage.envelope == nil && plain.early?.envelope == nil)
        // Every pool row a stage trained on is within its own envelope, and scores as without one.
        for shape in pool where shape.age >= 120 {
            let stage = try #require(model.stage(scoring: shape))
            #expect(stage.isWithinEnvelope(shape), "pool summary at \(shape.age) s")
            #expect(model.score(shape) == plain.score(shape))
        }
        // A flow far busier than any pool trained on: its decision value is what it is, its score 0.
        var busy = try #require(pool.first { $0.age >= 120 && $0.age < 600 })
        busy.clientMessages *= 40
        busy.serverMessages *= 40
        #expect(!early.isWithinEnvelope(busy))
        #expect(early.decision(busy) == plain.early?.decision(busy))
        #expect(model.score(busy) == 0)
    }

    @Test func theFileKeepsTheEnvelopeFromVersionFourAndRefusesOneThatDoesNotFit() throws {
        let (model, _, _) = try Self.trained(margin: 1)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("envelope-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.write(to: path)
        #expect(try PoolShapeModel.load(path) == model)
        #expect(model.version == 4)

        var older = model
        older.version = 3
        try older.write(to: path)
        #expect { try PoolShapeModel.load(path) } throws: { "\($0)".contains("an envelope needs model version 4") }

        var short = model
        short.early?.envelope?.low.removeLast()
        try short.write(to: path)
        #expect { try PoolShapeModel.load(path) } throws: { "\($0)".contains("one bound of each side per feature") }

        var crossed = model
        let highest = try #require(model.stage.envelope?.high[0])
        crossed.stage.envelope?.low[0] = highest + 1
        try crossed.write(to: path)
        #expect { try PoolShapeModel.load(path) } throws: { "\($0)".contains("a low bound above its high one") }
    }
}
