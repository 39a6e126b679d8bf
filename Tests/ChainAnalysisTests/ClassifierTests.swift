import BitcoinData
import ChainStore
import ChainTestSupport
import Foundation
import Randomness
import Testing
@testable import ChainAnalysis

@Suite("Behaviour classifier")
struct ClassifierTests {
    static func gaussianExamples(seed: UInt64, perClass: Int, separation: Double)
        -> [(features: [Double], label: String, set: String)] {
        var generator = SplitMix64(seed: seed)
        func normal() -> Double {
            let u = Double.random(in: 1e-12..<1, using: &generator), v = Double.random(in: 0..<1, using: &generator)
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        let centres: [String: [Double]] = ["a": [0, 0, 0], "b": [separation, 0, 1], "c": [0, separation, -1]]
        return centres.sorted { $0.key < $1.key }.flatMap { label, centre in
            (0..<perClass).map { _ in (centre.map { $0 + normal() }, label, "synthetic") }
        }
    }

    @Test func probabilitiesSumToOneAndSeparableClassesAreLearnt() async throws {
        let names = ["x", "y", "z"]
        let model = try BehaviourModel.train(examples: Self.gaussianExamples(seed: 1, perClass: 120, separation: 4),
                                             featureNames: names)
        let test = Self.gaussianExamples(seed: 2, perClass: 200, separation: 4)
        let evaluation = Evaluation(classes: model.classes,
                                    predictions: test.map { (model.probabilities($0.features), $0.label) })
        #expect(evaluation.accuracy > 0.9)
        for example in test.prefix(50) {
            let p = model.probabilities(example.features)
            #expect(abs(p.reduce(0, +) - 1) < 1e-12)
            #expect(p.allSatisfy { $0 > 0 && $0 < 1 })
        }
        #expect(model.training.heldOut.values.reduce(0, +) == 90)
        #expect(model.training.heldOutLogLossAfter! <= model.training.heldOutLogLossBefore! + 1e-12)
    }

    @Test func temperatureScalingCalibratesOverlappingClasses() async throws {
        // Heavily overlapping classes: an uncalibrated fit is over-confident; the fitted temperature must bring the
        // expected calibration error on unseen data down to a few percent.
        let model = try BehaviourModel.train(examples: Self.gaussianExamples(seed: 3, perClass: 400, separation: 1.2),
                                             featureNames: ["x", "y", "z"])
        let test = Self.gaussianExamples(seed: 4, perClass: 1_000, separation: 1.2)
        let calibrated = Evaluation(classes: model.classes,
                                    predictions: test.map { (model.probabilities($0.features), $0.label) })
        #expect(calibrated.expectedCalibrationError < 0.05)
        #expect(calibrated.accuracy > 0.5 && calibrated.accuracy < 0.95)
    }

    @Test func evaluationCountsAConfusionMatrixByHand() {
        let evaluation = Evaluation(classes: ["a", "b"], predictions: [
            ([0.9, 0.1], "a"), ([0.6, 0.4], "a"), ([0.3, 0.7], "a"), ([0.2, 0.8], "b"), ([0.55, 0.45], "c"),
        ])
        #expect(evaluation.classes == ["a", "b", "c"])
        #expect(evaluation.confusion == [[2, 1, 0], [0, 1, 0], [1, 0, 0]])
        #expect(evaluation.perClass["a"]?.precision == 2.0 / 3.0)
        #expect(evaluation.perClass["a"]?.recall == 2.0 / 3.0)
        #expect(evaluation.perClass["b"]?.precision == 0.5)
        #expect(evaluation.perClass["c"]?.recall == 0)
        #expect(abs(evaluation.accuracy - 0.6) < 1e-12)
        // Each confidence falls in its own tenth: 0.9 (correct), 0.6 (correct), 0.7 (wrong), 0.8 (correct),
        // 0.55 (wrong).
        let gaps: [Double] = [0.1, 0.4, 0.7, 0.2, 0.55]
        let ece = gaps.reduce(0, +) / 5
        #expect(abs(evaluation.expectedCalibrationError - ece) < 1e-12)
    }

    @Test func labelFilesAreParsedWithSetsAndErrorsNameTheLine() async throws {
        let labels = try LabelFile.parse("address,class\nbc1qa, exchange\n# x\n\n1Abc,mixer,real\n", source: "l.csv",
                                         defaultSet: "synthetic")
        #expect(labels == [LabelledAddress(address: "bc1qa", label: "exchange", set: "synthetic"),
                           LabelledAddress(address: "1Abc", label: "mixer", set: "real")])
        #expect { try LabelFile.parse("a,b\nonlyone\n", source: "l.csv", defaultSet: "s") } throws: {
            "\($0)" == "l.csv:2: expected 'address,class[,set]'"
        }
    }

    @Test func labelFileHeaderNamesTheColumnsAndExtraColumnsAreIgnored() throws {
        let text = "address,class,set,actor,behaviour\nbcrt1qa,automated_payouts,synthetic,locker,malware\n"
            + "bcrt1qb,wallet,,person-1,individual\n"
        let labels = try LabelFile.parse(text, source: "labels.csv", defaultSet: "default")
        #expect(labels == [LabelledAddress(address: "bcrt1qa", label: "automated_payouts", set: "synthetic"),
                           LabelledAddress(address: "bcrt1qb", label: "wallet", set: "default")])
        let reordered = try LabelFile.parse("address,actor,class\nx,someone,mixer\n", source: "l.csv",
                                            defaultSet: "real")
        #expect(reordered == [LabelledAddress(address: "x", label: "mixer", set: "real")])
        #expect { try LabelFile.parse("address,actor\nx,y\n", source: "l.csv", defaultSet: "s") } throws: {
            "\($0)" == "l.csv:1: the header names no 'class' column"
        }
        #expect { try LabelFile.parse(text + "bcrt1qc,wallet\n", source: "l.csv", defaultSet: "s") } throws: {
            "\($0)" == "l.csv:4: expected 5 fields (address,class,set,actor,behaviour)"
        }
    }

    @Test func modelWithOtherFeaturesIsRefused() async throws {
        let model = try BehaviourModel.train(examples: Self.gaussianExamples(seed: 1, perClass: 20, separation: 4),
                                             featureNames: ["x", "y", "z"])
        #expect(throws: ModelError.self) { _ = try AddressClassifier(model: model) }
    }

    @Test func behaviourChainTrainedOnOneSeedClassifiesAnother() async throws {
        func index(seed: UInt64) async throws -> (AddressFeatureIndex, [LabelledAddress]) {
            let scenario = BehaviourChain(seed: seed, blockCount: 60)
            let store = try ChainStore(path: ":memory:", network: .regtest)
            try store.append(scenario.blocks, firstHeight: 0)
            #expect(try store.counts().unresolvedInputs == 0)
            var index = AddressFeatureIndex()
            try await index.synchronise(with: store)
            return (index, scenario.labels.map { LabelledAddress(address: $0.address, label: $0.label,
                                                                  set: "synthetic") })
        }
        var (trainIndex, trainLabels) = try await index(seed: 11)
        var (testIndex, testLabels) = try await index(seed: 12)
        #expect(Set(trainLabels.map(\.label)) == ["exchange", "mining_pool", "mixer", "wallet"])
        let (model, missing) = try AddressClassifier.train(labels: trainLabels, index: &trainIndex)
        #expect(missing.isEmpty)
        let classifier = try AddressClassifier(model: model)
        let (_, all, testMissing) = classifier.evaluate(testLabels, index: &testIndex)
        #expect(testMissing.isEmpty)
        #expect(all.examples == testLabels.count)
        #expect(all.accuracy > 0.85, "\(all.report)")
        let results = classifier.classify(testLabels.prefix(10).map(\.address) + ["bcrt1qunknown"], index: &testIndex)
        for result in results.prefix(10) {
            #expect(abs(result.probabilities.values.reduce(0, +) - 1) < 1e-9)
            #expect(result.probabilities.count == model.classes.count)
        }
        #expect(results.last?.label == nil)
    }

    @Test func featureIndexIsIncrementalAndRebuildsAfterAReorg() async throws {
        let scenario = BehaviourChain(seed: 5, blockCount: 30)
        let store = try ChainStore(path: ":memory:", network: .regtest)
        try store.append(Array(scenario.blocks.prefix(20)), firstHeight: 0)
        var incremental = AddressFeatureIndex()
        let first = try await incremental.synchronise(with: store)
        #expect(first == 20)
        try store.append(Array(scenario.blocks.dropFirst(20)), firstHeight: 20)
        let second = try await incremental.synchronise(with: store)
        #expect(second == 10)
        var full = AddressFeatureIndex()
        try await full.synchronise(with: store)
        #expect(incremental.accumulators == full.accumulators)

        try store.rollback(toHeight: 14)
        let rebuilt = try await incremental.synchronise(with: store)
        #expect(rebuilt == 15, "rebuilt from height 0 after the rollback")
        var fresh = AddressFeatureIndex()
        try await fresh.synchronise(with: store)
        #expect(incremental.accumulators == fresh.accumulators)
        #expect(incremental.accumulators != full.accumulators)
    }
}
