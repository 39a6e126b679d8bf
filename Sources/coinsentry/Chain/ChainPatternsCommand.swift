import ArgumentParser
import ChainAnalysis
import ChainStore
import Foundation

/// `coinsentry chain patterns`: recurring payment patterns in the stored transaction graph.
struct ChainPatternsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "Groups of same-shaped addresses that recur over windows of blocks (automated payouts).")

    @OptionGroup var database: ChainDatabaseOptions

    @Option(name: .customLong("window-blocks"), help: "Blocks per window.")
    var windowBlocks = 144

    @Option(help: "Walk depth of the signature.")
    var depth = 2

    @Option(help: "Largest walk-signature distance for two addresses to count as the same shape.")
    var threshold = 1e-9

    @Option(name: .customLong("min-occurrences"), help: "Windows a group must recur in.")
    var minOccurrences = 3

    @Option(name: .customLong("min-group"), help: "Smallest group size.")
    var minGroup = 3

    @Option(name: .customLong("from-height"), help: "First height analysed (default: lowest stored).")
    var fromHeight: Int?

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let store = try await database.openStore()
        guard let tip = try await store.tip(), let lowest = try await store.lowestHeight() else {
            throw ValidationError("the chain database holds no blocks")
        }
        var options = RecurringPatternDetector.Options()
        options.windowBlocks = windowBlocks
        options.depth = depth
        options.threshold = threshold
        options.minimumOccurrences = minOccurrences
        options.minimumGroupSize = minGroup
        let patterns = try await RecurringPatternDetector(options: options)
            .detect(store: store, heights: max(lowest, fromHeight ?? lowest)...tip.height)
        if json { return try printJSON(patterns) }
        if patterns.isEmpty { print("no recurring patterns") }
        for pattern in patterns {
            let first = Date(timeIntervalSince1970: TimeInterval(pattern.firstSeen))
            let last = Date(timeIntervalSince1970: TimeInterval(pattern.lastSeen))
            print("\(pattern.occurrences) windows, \(pattern.members.count) addresses (and \(pattern.transientMembers) "
                  + "seen in fewer than half the windows), \(first) .. \(last)")
            for member in pattern.members { print("  \(member)") }
        }
    }
}
