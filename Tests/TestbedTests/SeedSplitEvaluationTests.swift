import ChainAnalysis
import ChainTestSupport
import Foundation
import Testing
@testable import Testbed

/// The testbed feeding the chain classifier: labels in its vocabulary, a model trained on one seed's chain and
/// evaluated on another seed's, through the library and through the command line an operator uses.
@Suite("Seed-split evaluation")
struct SeedSplitEvaluationTests {
    static func labelled(_ run: TestbedFixtures.Run) throws -> [LabelledAddress] {
        let text = try String(contentsOfFile: run.directory.file("labels.csv"), encoding: .utf8)
        return try LabelFile.parse(text, source: "labels.csv", defaultSet: "default")
    }

    @Test func testbedLabelsAreReadByTheChainLabelReaderInItsVocabulary() throws {
        #expect(Set(BehaviourKind.allCases.map(\.behaviourClass)) == Set(BehaviourClass.allCases))
        let run = try TestbedFixtures.run("classes.toml", seed: 1)
        let parsed = try Self.labelled(run)
        let lines = try TestbedFixtures.labels(run)
        #expect(parsed.count == run.summary.labelledAddresses)
        for label in parsed {
            #expect(label.set == TestbedOutput.labelSet)
            let behaviour = try #require(BehaviourKind(rawValue: lines[label.address]?.behaviour ?? ""))
            #expect(label.label == behaviour.behaviourClass.rawValue, "\(label.address)")
        }
        #expect(Set(parsed.map(\.label)) == Set(BehaviourClass.allCases.map(\.rawValue)))
        #expect(run.summary.addressesByClass.values.reduce(0, +) == parsed.count)
    }

    @Test func modelTrainedOnOneSeedIsEvaluatedOnTheOtherSeedsAddressesOnly() async throws {
        let training = try TestbedFixtures.run("classes.toml", seed: 1)
        let testing = try TestbedFixtures.run("classes.toml", seed: 2)
        let trainLabels = try Self.labelled(training), testLabels = try Self.labelled(testing)
        #expect(Set(trainLabels.map(\.address)).isDisjoint(with: testLabels.map(\.address)))

        let trainStore = try await TestbedFixtures.ingest(training)
        var trainIndex = try await AddressFeatureIndex.loadSynchronised(store: trainStore)
        let (model, missing) = try AddressClassifier.train(labels: trainLabels, index: &trainIndex)
        let trainOnChain = try await TestbedFixtures.storedAddresses(trainStore)
        // Labelled but never paid (a change address dropped into the fee, a setup address never used): not on chain.
        #expect(Set(missing).isDisjoint(with: trainOnChain))
        #expect(missing.count + model.training.fitted.values.reduce(0, +) + model.training.heldOut.values.reduce(0, +)
                == trainLabels.count)
        #expect(Set(model.classes) == Set(BehaviourClass.allCases.map(\.rawValue)))

        let testStore = try await TestbedFixtures.ingest(testing)
        var testIndex = try await AddressFeatureIndex.loadSynchronised(store: testStore)
        let (bySet, all, testMissing) = try AddressClassifier(model: model).evaluate(testLabels, index: &testIndex)
        let testOnChain = try await TestbedFixtures.storedAddresses(testStore)
        #expect(testOnChain.isDisjoint(with: trainOnChain))
        #expect(all.examples == testLabels.filter { testOnChain.contains($0.address) }.count)
        #expect(all.examples + testMissing.count == testLabels.count)
        #expect(Array(bySet.keys) == [TestbedOutput.labelSet])
        #expect(all.classes == model.classes, "every seed-2 class is one the model knows")
        #expect(all.confusion.reduce(0) { $0 + $1.reduce(0, +) } == all.examples)
        for name in model.classes { #expect(all.perClass[name]?.support ?? 0 > 0, "no \(name) address on chain") }
        print("classes.toml, trained on seed 1, evaluated on seed 2:\n\(all.report)")
    }

    /// The figures the chain classifier's documentation reports for `classes.toml`: a forest fitted on seed 1's
    /// chain, calibrated on seed 3's, evaluated on seed 2's, against the logistic model trained the same way.
    @Test func forestCalibratedOnAThirdSeedReachesTheDocumentedFiguresOnTheTestSeed() async throws {
        var indexes = [UInt64: AddressFeatureIndex](), labels = [UInt64: [LabelledAddress]]()
        for seed: UInt64 in [1, 2, 3] {
            let run = try TestbedFixtures.run("classes.toml", seed: seed)
            labels[seed] = try Self.labelled(run)
            indexes[seed] = try await AddressFeatureIndex.loadSynchronised(store: try await TestbedFixtures.ingest(run))
        }
        let fit = AddressClassifier.examples(labels[1]!, index: &indexes[1]!).examples
        let calibration = AddressClassifier.examples(labels[3]!, index: &indexes[3]!).examples
        let forest = try BehaviourForest.train(examples: fit, calibration: calibration,
                                               featureNames: AddressFeatures.names)
        let logistic = try BehaviourModel.train(examples: fit, calibration: calibration,
                                                featureNames: AddressFeatures.names)
        #expect(forest.training.heldOut.values.reduce(0, +) == calibration.count)
        let classifier = try AddressClassifier(model: .forest(forest))
        let reported = classifier.evaluate(labels[2]!, index: &indexes[2]!).all
        let own = classifier.evaluate(labels[2]!, index: &indexes[2]!, guarded: false).all
        let linear = try AddressClassifier(model: logistic).evaluate(labels[2]!, index: &indexes[2]!, guarded: false).all
        print("classes.toml, forest fitted on seed 1, calibrated on seed 3, evaluated on seed 2:\n\(own.report)")
        // Measured: macro F1 0.943 (logistic 0.811), ECE 0.029 for the model's own confidences, 0.188 as reported
        // (the cap at 0.8 for the many addresses seen in fewer than three transactions, nearly all right).
        #expect(own.macroF1 >= 0.92, "\(own.report)")
        #expect(own.expectedCalibrationError <= 0.05, "\(own.report)")
        #expect(own.macroF1 >= linear.macroF1 + 0.1, "\(linear.report)")
        #expect(reported.macroF1 == own.macroF1, "the guard keeps every address's most likely class")
        #expect(reported.caveats?["too_little_history"] ?? 0 > reported.examples / 2)
    }

    struct EvaluateReport: Decodable {
        var bySet: [String: Evaluation]
        var all: Evaluation
        var missing: [String]
    }

    @Test(.enabled(if: TestbedFixtures.coinsentry != nil, "the coinsentry executable is not built (swift build)"))
    func commandLineTrainsOnOneRunAndEvaluatesAnotherWithoutEditingTheLabels() throws {
        let directory = try TemporaryDirectory()
        func coinsentry(_ arguments: String...) throws -> String {
            let result = try TestbedFixtures.runProcess(TestbedFixtures.coinsentry!, arguments)
            #expect(result.status == 0, "coinsentry \(arguments.joined(separator: " ")): \(result.error)")
            return result.output
        }
        let scenario = TestbedFixtures.scenarioPath("classes.toml")
        for seed in ["1", "2"] {
            let out = directory.file("seed\(seed)")
            _ = try coinsentry("testbed", "run", scenario, "--out", out, "--seed", seed, "--blocks", "12")
            _ = try coinsentry("chain", "ingest", "--blocks", out + "/blocks", "--network", "regtest",
                               "--db", out + ".sqlite")
        }
        let model = directory.file("model.json")
        let trained = try coinsentry("chain", "train", "--db", directory.file("seed1.sqlite"), "--network", "regtest",
                                     "--labels", directory.file("seed1/labels.csv"), "--model", model)
        #expect(trained.contains("7 classes"), "\(trained)")

        let testDatabase = directory.file("seed2.sqlite")
        let text = try coinsentry("chain", "evaluate", "--db", testDatabase, "--network", "regtest", "--model", model,
                                  "--labels", directory.file("seed2/labels.csv"))
        for heading in ["actual\\pred", "precision", "recall", "ECE"] { #expect(text.contains(heading), "\(text)") }

        // Two data sets given together are reported apart and summed in "all".
        let lines = try String(contentsOfFile: directory.file("seed2/labels.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let header = lines[0]
        let halves = [lines.dropFirst().enumerated().filter { $0.offset % 2 == 0 }.map(\.element),
                      lines.dropFirst().enumerated().filter { $0.offset % 2 == 1 }.map(\.element)]
        for (index, half) in halves.enumerated() {
            try ([header] + half).joined(separator: "\n").write(toFile: directory.file("half\(index).csv"),
                                                                atomically: true, encoding: .utf8)
        }
        let json = try coinsentry("chain", "evaluate", "--db", testDatabase, "--network", "regtest", "--model", model,
                                  "--labels", "even=" + directory.file("half0.csv"),
                                  "--labels", "odd=" + directory.file("half1.csv"), "--json")
        let report = try JSONDecoder().decode(EvaluateReport.self, from: Data(json.utf8))
        #expect(report.bySet.keys.sorted() == ["even", "odd"])
        #expect(report.bySet.values.reduce(0) { $0 + $1.examples } == report.all.examples)
        #expect(report.all.examples + report.missing.count == lines.count - 1)
        #expect(report.all.examples > 0)
    }
}
