import ArgumentParser
import Capture
import Foundation
import PoolDetection

/// `coinsentry train-pool`: the pool-connection classifier from recorded pool sessions and ordinary captures.
struct TrainPoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-pool",
        abstract: "Train the pool-connection classifier on flow shapes of pool sessions and ordinary captures.",
        discussion: """
            Every capture is replayed through the capture path with flow tracking on; each TCP flow of at least \
            --minimum-age seconds yields a shape summary every minute (docs/pool-evidence.md). Summaries of the \
            pool captures' miner hosts (--pool-local-net) are the positive class, summaries of every flow of the \
            ordinary captures the negative class. A linear SVM with standard scaling is fitted (classes weighted by \
            inverse frequency) and written as versioned JSON.

            The split file names, one per line as `ROLE PATH`, the captures to train on (train-pool, \
            train-ordinary) and to test on (test-pool, test-ordinary). After training, the flows of the test \
            captures are scored: per-flow precision and recall, and false alarms per ordinary capture, are printed.

            Example (the shipped model):
              coinsentry train-pool --split captures/pool/split.txt --output etc/coinsentry/pool-model.json
            """
    )

    @Option(help: "The split file: ROLE PATH lines (train-pool, train-ordinary, test-pool, test-ordinary).")
    var split: String

    @Option(help: "Where to write the model (JSON).")
    var output: String

    @Option(name: .customLong("pool-local-net"), help: "The miner hosts of the pool captures (CIDR; repeat).")
    var poolLocalNetworks: [String] = ["127.0.0.2/32"]

    @Option(name: .customLong("minimum-age"), help: "Seconds a flow must have lived to be trained on and scored.")
    var minimumAge: Double = 120

    @Option(help: "The SVM's regularisation (C).")
    var penalty: Double = 1

    @Flag(help: "Print the evaluation as JSON.")
    var json = false

    func validate() throws {
        guard minimumAge >= 0, minimumAge.isFinite else { throw ValidationError("--minimum-age must be 0 or more") }
        guard penalty > 0, penalty.isFinite else { throw ValidationError("--penalty must be a positive number") }
    }

    func run() throws {
        let plan = try PoolTrainingSplit(path: split)
        for role in PoolTrainingSplit.Role.allCases where plan[role].isEmpty {
            throw ValidationError("the split file names no \(role.rawValue) capture")
        }
        let pool = try plan[.trainPool].flatMap { try shapes($0, isPool: true) }
        let ordinary = try plan[.trainOrdinary].flatMap { try shapes($0, isPool: false) }
        let record = PoolTrainingRecord(poolCaptures: plan[.trainPool], ordinaryCaptures: plan[.trainOrdinary],
                                        poolSummaries: 0, ordinarySummaries: 0)
        let model = try PoolShapeTrainer(penalty: penalty, minimumAge: minimumAge)
            .train(pool: pool, ordinary: ordinary, record: record)
        try model.write(to: output)
        var evaluation = PoolFlowEvaluation()
        for (role, isPool) in [(PoolTrainingSplit.Role.testPool, true), (.testOrdinary, false)] {
            for capture in plan[role] {
                let scores = FlowShapeCollector.flowScores(try shapes(capture, isPool: isPool), model: model)
                evaluation.add(capture: capture, isPool: isPool, flows: scores)
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(evaluation), as: UTF8.self))
            return
        }
        print("trained on \(model.training.poolSummaries) pool and \(model.training.ordinarySummaries) ordinary "
              + "flow summaries; model written to \(output)")
        let percent = { (value: Double?) in value.map { String(format: "%.1f %%", $0 * 100) } ?? "n/a" }
        print("held-out flows: \(evaluation.truePositives + evaluation.falseNegatives) pool, "
              + "\(evaluation.falsePositives + evaluation.trueNegatives) ordinary; precision "
              + "\(percent(evaluation.precision)), recall \(percent(evaluation.recall))")
        for (capture, alarms) in evaluation.falseAlarmsPerCapture.sorted(by: { $0.key < $1.key }) {
            print("  \(alarms) false alarm(s): \(capture)")
        }
    }

    private func shapes(_ capture: String, isPool: Bool) throws -> [FlowShape] {
        try FlowShapeCollector.summaries(of: capture, localNetworks: isPool ? poolLocalNetworks
                                                                              : FlowShapeCollector.everyNetwork,
                                         minimumAge: minimumAge)
    }
}
