import BitcoinData
import ChainStore
import ChainTestSupport
import Foundation
import TestSupport
import Testing
@testable import ChainAnalysis

/// The limits on reported confidences: the cap for short histories, the unknown outcome for features unlike the
/// training data, and the forest's model file.
@Suite("Confidence guard and forest model")
struct ConfidenceGuardTests {
    /// A behaviour chain's feature index and labels.
    static func chain(seed: UInt64) async throws -> (AddressFeatureIndex, [LabelledAddress]) {
        let scenario = BehaviourChain(seed: seed, blockCount: 60)
        let store = try ChainStore(path: ":memory:", network: .regtest)
        try store.append(scenario.blocks, firstHeight: 0)
        var index = AddressFeatureIndex()
        try await index.synchronise(with: store)
        return (index, scenario.labels.map { LabelledAddress(address: $0.address, label: $0.label, set: "synthetic") })
    }

    /// A small forest trained on seed 11's behaviour chain.
    static func forest() async throws -> BehaviourForest {
        var (index, labels) = try await chain(seed: 11)
        var options = BehaviourForest.Options()
        options.trees = 15
        return try BehaviourForest.train(examples: AddressClassifier.examples(labels, index: &index).examples,
                                         featureNames: AddressFeatures.names, options: options)
    }

    @Test func capLowersOnlyTheTopClassAndKeepsTheOrderAndTheSum() {
        let (capped, caveats) = ConfidenceGuard.apply([0.97, 0.02, 0.01], transactions: 1, outside: [])
        #expect(caveats == [.tooLittleHistory])
        #expect(capped[0] == 0.8)
        #expect(abs(capped[1] - (0.02 + 0.17 * 2 / 3)) < 1e-12 && abs(capped[2] - (0.01 + 0.17 / 3)) < 1e-12)
        let spread = ConfidenceGuard.apply([1, 0, 0], transactions: 2, outside: []).probabilities
        #expect(spread[0] == 0.8 && abs(spread[1] - 0.1) < 1e-12 && spread[1] == spread[2])
        #expect(ConfidenceGuard.apply([0.97, 0.02, 0.01], transactions: 3, outside: []) == ([0.97, 0.02, 0.01], []))
        let far = ConfidenceGuard.apply([0.9, 0.1], transactions: 5, outside: [4])
        #expect(far.caveats == [.unlikeTraining] && far.probabilities == [0.7, 0.3])
    }

    @Test func addressSeenInFewerThanThreeTransactionsIsNeverReportedAboveTheCap() async throws {
        let forest = try await Self.forest()
        var (index, labels) = try await Self.chain(seed: 12)
        let classifier = try AddressClassifier(model: .forest(forest))
        let results = classifier.classify(labels.map(\.address), index: &index)
        let short = results.filter { ($0.transactions ?? 0) < ConfidenceGuard.minimumTransactions }
        #expect(short.contains { $0.transactions == 1 })
        // The cap must have had work to do: the forest alone is surer than 0.8 of some of these addresses.
        var ownTop = [Double]()
        for result in short { ownTop.append(forest.probabilities(index.features(result.address) ?? []).max() ?? 0) }
        #expect(ownTop.contains { $0 > 0.8 })
        for result in short {
            #expect(result.probabilities.values.allSatisfy { $0 <= ConfidenceGuard.historyCap + 1e-12 })
            #expect(result.caveats.contains(.tooLittleHistory))
            #expect(abs(result.probabilities.values.reduce(0, +) - 1) < 1e-9)
        }
        let long = results.filter { ($0.transactions ?? 0) >= ConfidenceGuard.minimumTransactions }
        #expect(long.contains { ($0.confidence ?? 0) > ConfidenceGuard.historyCap }, "the cap spares long histories")
    }

    @Test func addressWithFeaturesFarFromTheTrainingDataIsUnknown() async throws {
        let forest = try await Self.forest()
        var (index, labels) = try await Self.chain(seed: 12)
        // 400 fresh addresses spent together, from outputs this chain never held: one co-spending cluster far larger
        // than any the training chain shows, each address only ever spending.
        let spenders = (0..<400).map { "bcrt1qfar\($0)" }
        index.apply(TransactionFlow(txid: Hash256([UInt8](repeating: 7, count: 32)), height: 61, time: 0,
                                    isCoinbase: false, inputs: spenders.map { ($0, nil) },
                                    outputs: [(labels[0].address, 1_000)]))
        let classifier = try AddressClassifier(model: .forest(forest))
        let far = try #require(classifier.classify([spenders[0]], index: &index).first)
        #expect(far.label == ConfidenceGuard.unknownLabel)
        #expect(far.confidence == nil)
        #expect(far.caveats.contains(.unlikeTraining))
        #expect(far.unlikeFeatures?.contains("log_cluster_size") == true, "\(far.unlikeFeatures ?? [])")
        let uniform = 1 / Double(forest.classes.count)
        #expect(far.probabilities.values.allSatisfy { $0 >= ConfidenceGuard.unlikeShrinkage * uniform - 1e-12 })
        let near = classifier.classify(labels.dropFirst().map(\.address), index: &index)
        #expect(near.filter { $0.label == ConfidenceGuard.unknownLabel }.count * 20 < near.count,
                "addresses like the training chain's are classified")
    }

    @Test(arguments: [AddressModelKind.forest, .boosted])
    func treeModelFileRoundTripsAndPredictsTheSame(kind: AddressModelKind) async throws {
        let model: AddressModel
        if kind == .forest {
            model = .forest(try await Self.forest())
        } else {
            var (index, labels) = try await Self.chain(seed: 11)
            var options = BehaviourBoost.Options()
            options.rounds = 10
            model = .boosted(try BehaviourBoost.train(
                examples: AddressClassifier.examples(labels, index: &index).examples,
                featureNames: AddressFeatures.names, options: options))
        }
        let data = try model.json()
        let header = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(header?["kind"] as? String == kind.rawValue && header?["formatVersion"] as? Int == 1)
        let directory = try TemporaryDirectory()
        try data.write(to: URL(fileURLWithPath: directory.file("model.json")))
        let loaded = try AddressClassifier.load(path: directory.file("model.json")).model
        #expect(loaded.classes == model.classes && loaded.featureRange == model.featureRange)
        var (index, labels) = try await Self.chain(seed: 12)
        let reference = index.features(labels[60].address) ?? []
        var differs = false
        for label in labels.prefix(50) {
            let found = index.features(label.address)
            let features = try #require(found)
            #expect(loaded.probabilities(features) == model.probabilities(features))
            differs = differs || model.probabilities(features) != model.probabilities(reference)
        }
        #expect(differs, "the model tells addresses apart")
        #expect(try loaded.json() == data)
        #expect(throws: ModelError.self) { try loaded.requireLogistic() }
        var future = try #require(header)
        future["formatVersion"] = 2
        #expect(throws: ModelError.self) {
            _ = try AddressModel(json: try JSONSerialization.data(withJSONObject: future))
        }
    }

    /// The shared real mainnet block (damaged after its 513th transaction): every address it names is classified and
    /// none seen in fewer than three transactions is reported above the cap.
    @Test(.enabled(if: SharedData.isPresent, Comment(rawValue: SharedData.absentReason)))
    func realBlockAddressesWithShortHistoriesStayUnderTheCap() async throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: SharedData.path("bitcoin/block413567.raw"))))
        let block = try BlockFlows(bytes: bytes, height: 413_567, network: .mainnet)
        #expect(block.declaredTransactions == 1_557 && block.flows.count == 513 && block.stoppedBy != nil)
        #expect(block.flows[0].isCoinbase && block.flows[0].outputs[0].address == "1KFHE7w8BhaENAswwryaoccDb6qcT6DbYY")
        #expect(block.flows.dropFirst().contains { $0.inputs.contains { $0.address != nil } }, "P2PKH spenders named")
        var index = AddressFeatureIndex()
        for flow in block.flows { index.apply(flow) }
        let classifier = try AddressClassifier(model: .forest(try await Self.forest()))
        let survey = ClassificationSurvey(classifier.classify(index.accumulators.keys.sorted(), index: &index))
        #expect(survey.addresses == 1_866)
        #expect(survey.byTransactions["1"] ?? 0 > 1_700)
        #expect(try #require(survey.highestConfidenceWithTooLittleHistory) <= ConfidenceGuard.historyCap)
        #expect(survey.largestShare < 0.9)
    }
}
