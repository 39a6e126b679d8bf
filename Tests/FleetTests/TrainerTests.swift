import ChainAnalysis
import Detection
import FleetFiles
import Randomness
import Testing

@testable import Fleet

/// Local training moves the global weights towards the participant's data, for both federations.
@Suite struct TrainerTests {
    @Test func trafficTrainingFromZeroLearnsSeparableWindows() throws {
        let base = try DetectionModel.load(FleetFixtures.model).file
        let data = try FleetFixtures.windows(count: 300, miningShare: 0.5, seed: 9)
        let zero = [Double](repeating: 0, count: base.pca.components.count + 1)
        let local = try TrafficTrainer(base: base, epochs: 3).train(from: zero, examples: data)
        let model = try DetectionModel(file: try TrafficModelVector.model(local, base: base, solver: "t", round: 1))
        #expect(TrafficScore.balancedAccuracy(TrafficScore.counts(model, on: data)) > 0.95)
        #expect(throws: FleetError.self) { try TrafficTrainer(base: base).train(from: [1, 2], examples: data) }
    }

    @Test func addressTrainingImprovesOnItsClasses() throws {
        var generator = SplitMix64(seed: 4)
        let width = AddressFeatures.names.count
        func example(_ label: Int) -> [Double] {
            (0..<width).map { j in (j % 3 == label ? 2.0 : 0.0) + Double.random(in: -0.5...0.5, using: &generator) }
        }
        let labels = (0..<90).map { $0 % 3 }
        let rows = labels.map(example)
        let base = try BehaviourModel.train(
            examples: zip(rows, labels).map { ($0, "c\($1)", "s") }, featureNames: AddressFeatures.names)
        let examples = LabelledExamples(features: rows, labels: labels.map(Double.init))
        let zero = [Double](repeating: 0, count: AddressModelVector.vector(of: base).count)
        let local = try AddressTrainer(base: base, epochs: 30).train(from: zero, examples: examples)
        let trained = try AddressModelVector.model(local, base: base)
        #expect(AddressScore.figures(trained, on: examples).balancedAccuracy > 0.9)
        #expect(throws: FleetError.self) {
            try AddressTrainer(base: base)
                .train(from: zero, examples: LabelledExamples(features: [rows[0]], labels: [7]))
        }
    }
}
