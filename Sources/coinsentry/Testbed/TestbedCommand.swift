import ArgumentParser
import Foundation
import Testbed

/// `coinsentry testbed ...`: the regtest behaviour testbed (issue 7).
struct TestbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testbed",
        abstract: "Make a labelled regtest chain by replaying random and scripted behaviours.",
        subcommands: [Run.self])

    /// `coinsentry testbed run SCENARIO --out DIR`.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run a scenario into regtest block files, a labels file and a summary.",
            discussion: """
                Writes DIR/blocks/blk*.dat (Bitcoin Core regtest block files, genesis first), DIR/labels.csv \
                (address,class,actor) and DIR/summary.json. The same scenario, seed and block count give the same \
                bytes. Progress goes to standard error.
                """)

        @Argument(help: "Scenario file: TOML (.toml) or JSON.")
        var scenario: String

        @Option(help: "Output directory (created when missing).")
        var out: String

        @Option(help: "Seed of every random choice (default: the scenario's seed, else 1).")
        var seed: UInt64?

        @Option(help: "Activity blocks after the bootstrap blocks (default: the scenario's).")
        var blocks: Int?

        func run() throws {
            let scenario: Scenario
            do {
                scenario = try ScenarioLoader.load(path: self.scenario)
            } catch {
                throw ValidationError(error.description)
            }
            let runner = try TestbedRunner(scenario: scenario, seed: seed ?? scenario.seed ?? 1, blocks: blocks)
            let start = Date()
            var lastReport = Date.distantPast
            let world = runner.run { progress in
                guard progress.height == progress.finalHeight || Date().timeIntervalSince(lastReport) >= 1 else {
                    return
                }
                lastReport = Date()
                FileHandle.standardError.write(Data(
                    "block \(progress.height)/\(progress.finalHeight)  tx \(progress.transactions)\n".utf8))
            }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let summary = try TestbedOutput.write(world, runner: runner, to: out)
            let seconds = Date().timeIntervalSince(start)
            print("\(summary.tipHeight + 1) blocks (\(summary.activityBlocks) of activity), "
                  + "\(summary.statistics.transactions) transactions, \(summary.labelledAddresses) labelled "
                  + "addresses in \(String(format: "%.1f", seconds)) s; tip \(summary.tipHash)")
            print("wrote \(summary.files.map { (out as NSString).appendingPathComponent($0) }.joined(separator: " "))")
        }
    }
}
