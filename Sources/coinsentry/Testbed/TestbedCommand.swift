import ArgumentParser
import Foundation
import Testbed

/// `coinsentry testbed ...`: the regtest behaviour testbed.
struct TestbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testbed",
        abstract: "Make a labelled regtest chain by replaying random and scripted behaviours.",
        subcommands: [Run.self])

    /// `coinsentry testbed run SCENARIO --out DIR`.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run a scenario into regtest block files, a labels file and a summary.",
            discussion: """
                Writes DIR/blocks/blk*.dat (Bitcoin Core regtest block files, genesis first), DIR/labels.csv \
                (address,class,set,actor,behaviour; class in the chain classifier's vocabulary) and \
                DIR/summary.json. The same scenario, seed and block count give the same bytes. Progress shows on \
                standard error when it is a terminal. The labels feed the chain classifier as they are:
                  coinsentry testbed run etc/coinsentry/scenarios/classes.toml --out run1 --seed 1
                  coinsentry chain ingest --blocks run1/blocks --network regtest --db run1.sqlite
                  coinsentry chain train --db run1.sqlite --network regtest --labels run1/labels.csv --model m.json

                With --bitcoind, the same simulated run is then replayed through N regtest bitcoind processes of \
                your own (on the PATH; own data directories under DIR/nodes, bound to 127.0.0.1, cookie RPC, \
                connected with addnode): one node wallet per actor, every payment with the wallet RPC, every block \
                with generatetoaddress. DIR/labels.csv then names the nodes' addresses; ingest with \
                'coinsentry chain ingest --rpc URL --cookie FILE' while the nodes run (--keep-nodes), or from \
                DIR/nodes/node0/regtest/blocks after.
                """)

        @Argument(help: "Scenario file: TOML (.toml) or JSON.")
        var scenario: String

        @Option(help: "Output directory (created when missing).")
        var out: String

        @Option(help: "Seed of every random choice (default: the scenario's seed, else 1).")
        var seed: UInt64?

        @Option(help: "Activity blocks after the bootstrap blocks (default: the scenario's).")
        var blocks: Int?

        @Flag(help: "Replay the run through regtest bitcoind nodes' RPC (needs bitcoind on the PATH).")
        var bitcoind = false

        @Option(help: "Regtest nodes to start with --bitcoind.")
        var nodes = 2

        @Option(name: .customLong("base-port"),
                help: "First port of the nodes: node i listens on BASE+2i and answers RPC on BASE+2i+1.")
        var basePort = 18_600

        @Flag(name: .customLong("keep-nodes"),
              help: "Leave the nodes running after --bitcoind (stop them with the 'stop' RPC).")
        var keepNodes = false

        func validate() throws {
            if !bitcoind && (keepNodes || nodes != 2) {
                throw ValidationError("--nodes and --keep-nodes go with --bitcoind")
            }
            if bitcoind && RegtestNodes.bitcoindPath == nil {
                throw ValidationError("--bitcoind needs Bitcoin Core's bitcoind on the PATH; none was found")
            }
            guard (1...16).contains(nodes) else { throw ValidationError("--nodes must be between 1 and 16") }
            guard (1_024...65_000).contains(basePort) else {
                throw ValidationError("--base-port must be between 1024 and 65000")
            }
        }

        func run() async throws {
            let scenario: Scenario
            do {
                scenario = try ScenarioLoader.load(path: self.scenario)
            } catch {
                throw ValidationError(error.description)
            }
            let runner = try TestbedRunner(scenario: scenario, seed: seed ?? scenario.seed ?? 1, blocks: blocks)
            let start = Date()
            let line = ProgressLine(label: "testbed")
            let world = runner.run { progress in
                line.update("block \(progress.height)/\(progress.finalHeight)  tx \(progress.transactions)")
            }
            line.finish()
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            if bitcoind { return try await replay(world) }
            let summary = try TestbedOutput.write(world, runner: runner, to: out)
            let seconds = Date().timeIntervalSince(start)
            print("\(summary.tipHeight + 1) blocks (\(summary.activityBlocks) of activity), "
                  + "\(summary.statistics.transactions) transactions, \(summary.labelledAddresses) labelled "
                  + "addresses in \(String(format: "%.1f", seconds)) s; tip \(summary.tipHash)")
            print("wrote \(summary.files.map { (out as NSString).appendingPathComponent($0) }.joined(separator: " "))")
        }

        /// Replays the simulated run through regtest nodes and writes their addresses' labels.
        private func replay(_ world: TestbedWorld) async throws {
            let directory = (out as NSString).appendingPathComponent("nodes")
            let nodes = try await RegtestNodes(count: nodes, directory: directory, basePort: basePort)
            let summary: BitcoindReplayer.Summary
            do {
                let finalHeight = world.chain.height
                summary = try await BitcoindReplayer(world: world, nodes: nodes).run { height in
                    if height % 10 == 0 || height == finalHeight { printError("node block \(height)/\(finalHeight)") }
                }
            } catch {
                await nodes.stop()
                throw error
            }
            let labels = (out as NSString).appendingPathComponent("labels.csv")
            try Data(TestbedOutput.labelsText(summary.labels).utf8).write(to: URL(fileURLWithPath: labels))
            print("replayed through \(nodes.nodes.count) bitcoind nodes: \(summary.blocks) blocks, "
                  + "\(summary.transactions) transactions, \(summary.failedSteps) steps the node wallets refused")
            for failure in summary.failures { printError("  \(failure)") }
            print("wrote \(labels)")
            let first = nodes.nodes[0]
            if keepNodes {
                print("nodes running; ingest with: coinsentry chain ingest --rpc \(first.rpcURL.absoluteString) "
                      + "--cookie \(first.cookie) --db DB")
            } else {
                await nodes.stop()
                print("nodes stopped; ingest with: coinsentry chain ingest --blocks \(first.directory)/regtest/blocks "
                      + "--network regtest --db DB")
            }
        }
    }
}
