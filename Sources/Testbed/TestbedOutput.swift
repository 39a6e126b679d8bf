import BitcoinData
import Foundation

/// The scenario summary written beside the chain (`summary.json`).
public struct TestbedSummary: Codable, Sendable, Equatable {
    /// Scenario name.
    public var scenario: String
    /// Seed of the run.
    public var seed: UInt64
    /// Always "regtest".
    public var network: String
    /// Height of the tip.
    public var tipHeight: Int
    /// Hash of the tip (display hex).
    public var tipHash: String
    /// Bootstrap blocks (funding, maturity, funding transactions) before the activity blocks.
    public var bootstrapBlocks: Int
    /// Activity blocks.
    public var activityBlocks: Int
    /// Addresses in the labels file.
    public var labelledAddresses: Int
    /// Addresses per class (the chain classifier's vocabulary).
    public var addressesByClass: [String: Int]
    /// Addresses per scenario behaviour.
    public var addressesByBehaviour: [String: Int]
    /// Counters: transactions, inputs, outputs, fees, per class, per output type and per actor.
    public var statistics: TestbedStatistics
    /// Files written, relative to the output directory.
    public var files: [String]

    enum CodingKeys: String, CodingKey {
        case scenario, seed, network, statistics, files
        case tipHeight = "tip_height", tipHash = "tip_hash", bootstrapBlocks = "bootstrap_blocks"
        case activityBlocks = "activity_blocks", labelledAddresses = "labelled_addresses"
        case addressesByClass = "addresses_by_class", addressesByBehaviour = "addresses_by_behaviour"
    }
}

/// Writes a run's results: `blocks/blk*.dat` (regtest magic, genesis first), `labels.csv` and `summary.json`.
///
/// `labels.csv` is read as it is by `coinsentry chain train` and `evaluate`: its header names the columns, `class` is
/// in the chain classifier's vocabulary (``BehaviourKind/behaviourClass``), `set` is ``labelSet`` (so real and
/// synthetic data given together are reported apart), `actor` and `behaviour` are the scenario's.
public enum TestbedOutput {
    /// The labels file's header line.
    public static let labelsHeader = "address,class,set,actor,behaviour"
    /// The data set every testbed label belongs to.
    public static let labelSet = "synthetic"

    /// The labels file's text: the header, then one line per address.
    public static func labelsText(_ labels: [AddressLabel]) -> String {
        var text = labelsHeader + "\n"
        for label in labels {
            text += "\(label.address),\(label.kind.behaviourClass.rawValue),\(labelSet),\(label.actor),"
                + "\(label.kind.rawValue)\n"
        }
        return text
    }

    /// Writes everything under `directory` and returns the summary.
    @discardableResult
    public static func write(_ world: TestbedWorld, runner: TestbedRunner, to directory: String) throws
        -> TestbedSummary {
        let blocksDirectory = (directory as NSString).appendingPathComponent("blocks")
        let written = try BlockFileWriter(directory: blocksDirectory, network: .regtest).write(world.chain.blocks)
        let labels = labelsText(world.labels)
        let byClass = Dictionary(grouping: world.labels, by: \.kind.behaviourClass.rawValue).mapValues(\.count)
        let byBehaviour = Dictionary(grouping: world.labels, by: \.kind.rawValue).mapValues(\.count)
        try Data(labels.utf8).write(to: URL(fileURLWithPath: (directory as NSString)
            .appendingPathComponent("labels.csv")))
        let files = written.map { "blocks/" + ($0 as NSString).lastPathComponent } + ["labels.csv", "summary.json"]
        let summary = TestbedSummary(
            scenario: runner.scenario.name, seed: runner.seed, network: "regtest", tipHeight: world.chain.height,
            tipHash: world.chain.tip.hash.hex, bootstrapBlocks: world.chain.height - runner.activityBlocks,
            activityBlocks: runner.activityBlocks, labelledAddresses: world.labels.count, addressesByClass: byClass,
            addressesByBehaviour: byBehaviour,
            statistics: world.statistics, files: files)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(summary).write(to: URL(fileURLWithPath: (directory as NSString)
            .appendingPathComponent("summary.json")))
        return summary
    }
}
