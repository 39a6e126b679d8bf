import BitcoinData
import ChainAnalysis
import ChainIngest
import ChainStore
import Control
import Foundation
import Randomness
import Testbed

/// Ingest and train for a finished testbed run, in the run's folder: its block files into a chain database of its own
/// (`chain.sqlite`, made anew each time), then a random forest (as `coinsentry chain train` makes by default) on its
/// labels, written to `model.json`. A quarter of each class's labelled addresses on the chain is kept out of training
/// and the model evaluated on them.
struct TestbedTrainer: Sendable {
    /// The run's folder (`blocks/`, `labels.csv`).
    let directory: String

    /// The share of each class's addresses the model is evaluated on and not trained on.
    static let evaluationShare = 0.25
    /// The seed of the evaluation split and of the forest.
    static let seed: UInt64 = 1

    private func file(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    /// Ingests, trains, evaluates and writes the model; the result's state is `finished`.
    /// - Throws: what stopped it (the blocks unreadable, too few classes on the chain to train on, ...).
    func run() async throws -> TestbedTraining {
        let database = file("chain.sqlite")
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: database + suffix) {
            try FileManager.default.removeItem(atPath: database + suffix)
        }
        let store = try ChainStore(path: database, network: .regtest)
        let source = try BlockFileSource(reader: BlockFileReader(directory: file("blocks"), network: .regtest))
        let ingested = try await ChainIngestor(store: store, source: source).run()
        var index = try await AddressFeatureIndex.loadSynchronised(store: store)
        let labels = try LabelFile.parse(try String(contentsOfFile: file("labels.csv"), encoding: .utf8),
                                         source: file("labels.csv"), defaultSet: TestbedOutput.labelSet)
        let onChain = labels.filter { index.features($0.address) != nil }
        let (training, evaluation) = Self.split(onChain)
        let examples = AddressClassifier.examples(training, index: &index).examples
        let forest = try await Self.onThread {
            var options = BehaviourForest.Options()
            options.seed = Self.seed
            return try BehaviourForest.train(examples: examples, calibration: nil,
                                             featureNames: AddressFeatures.names, options: options)
        }
        let model = AddressModel.forest(forest)
        try model.json().write(to: URL(fileURLWithPath: file("model.json")))
        var result = TestbedTraining(state: .finished)
        result.model = file("model.json")
        result.blocksIngested = ingested.written.blocks
        result.transactionsIngested = ingested.written.transactions
        result.labelledOnChain = onChain.count
        result.notOnChain = labels.count - onChain.count
        result.fitted = forest.training.fitted.values.reduce(0, +)
        result.calibration = forest.training.heldOut.values.reduce(0, +)
        result.classes = forest.classes
        if !evaluation.isEmpty {
            let all = try AddressClassifier(model: model).evaluate(evaluation, index: &index, guarded: false).all
            result.evaluation = TestbedEvaluation(
                examples: all.examples, accuracy: all.accuracy, macroF1: all.macroF1,
                expectedCalibrationError: all.expectedCalibrationError,
                recall: all.perClass.compactMapValues { $0.support > 0 ? $0.recall : nil })
        }
        return result
    }

    /// Splits labelled addresses into training and evaluation: of each class, a shuffled ``evaluationShare``
    /// (none of a class with fewer than four addresses) for evaluation.
    static func split(_ labels: [LabelledAddress]) -> (training: [LabelledAddress], evaluation: [LabelledAddress]) {
        var random = SplitMix64(seed: seed)
        var training = [LabelledAddress](), evaluation = [LabelledAddress]()
        for label in Set(labels.map(\.label)).sorted() {
            let members = labels.filter { $0.label == label }.shuffled(using: &random)
            let held = members.count >= 4 ? Int((Double(members.count) * evaluationShare).rounded()) : 0
            evaluation += members.prefix(held)
            training += members.dropFirst(held)
        }
        return (training, evaluation)
    }

    /// Runs CPU-bound work on a thread of its own, so that it does not hold one of the few threads of the concurrency
    /// pool that the control socket and the ingestion cycles need.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
