import BitcoinData
import ChainIngest
import ChainStore
import ChainTestSupport
import Foundation
import GRDB
@testable import Testbed

/// Paths and runs shared by the testbed tests.
enum TestbedFixtures {
    /// The repository root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// A shipped scenario file.
    static func scenarioPath(_ name: String) -> String { "\(root)/etc/coinsentry/scenarios/\(name)" }

    /// The validator script run with Debian's python3-bitcoinlib.
    static let validator = "\(root)/Tests/TestbedTests/reference/validate_blocks.py"

    /// Debian's interpreter: python3-bitcoinlib is installed for it, not for other Pythons on the PATH.
    static let python = "/usr/bin/python3"

    /// Whether `python3 -c "import bitcoin"` works.
    static let hasBitcoinlib: Bool = (try? runProcess(python, ["-c", "import bitcoin.core.scripteval"]).status) == 0

    /// A finished run written to a temporary directory.
    struct Run {
        let directory: TemporaryDirectory
        let world: TestbedWorld
        let summary: TestbedSummary
        var blocksDirectory: String { directory.file("blocks") }
    }

    /// Runs a shipped scenario with `seed` and writes its outputs.
    static func run(_ name: String, seed: UInt64, blocks: Int? = nil) throws -> Run {
        let scenario = try ScenarioLoader.load(path: scenarioPath(name))
        let runner = try TestbedRunner(scenario: scenario, seed: seed, blocks: blocks)
        let world = runner.run()
        let directory = try TemporaryDirectory()
        let summary = try TestbedOutput.write(world, runner: runner, to: directory.path)
        return Run(directory: directory, world: world, summary: summary)
    }

    /// Ingests a run's block files through the sidecar's block-file path into a SQLite chain store in the run's
    /// directory.
    static func ingest(_ run: Run) async throws -> ChainStore {
        let source = try BlockFileSource(reader: BlockFileReader(directory: run.blocksDirectory, network: .regtest))
        let store = try ChainStore(path: run.directory.file("chain.sqlite"), network: .regtest)
        let summary = try await ChainIngestor(store: store, source: source).run()
        precondition(summary.written.unresolvedInputs == 0, "a testbed chain spends only outputs it holds")
        return store
    }

    /// Every address a chain store holds.
    /// The addresses the store holds outputs for, but for ``genesisAddress``, which every regtest chain shares.
    static func storedAddresses(_ store: ChainStore) async throws -> Set<String> {
        Set(try await store.database.read { db in try String.fetchAll(db, sql: "SELECT address FROM address") })
            .subtracting([genesisAddress])
    }

    /// The address the genesis block's pay-to-pubkey coinbase is listed under: on every regtest chain, no actor's.
    static let genesisAddress: String = {
        let script = RegtestGenesis.block.transactions[0].transaction.outputs[0].scriptPubKey
        return OutputListing(scriptPubKey: script).owner?.address(on: .regtest) ?? ""
    }()

    /// The `coinsentry` executable of the debug build, nil when it is not built.
    static let coinsentry: String? = {
        let path = "\(root)/.build/debug/coinsentry"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()

    /// Every block of a run's block files, read back through the colleague's reader.
    static func readBlocks(_ directory: String) throws -> [Block] {
        let reader = try BlockFileReader(directory: directory, network: .regtest)
        return try reader.blockFiles().flatMap { try reader.records(inFile: $0).map { try $0.block() } }
    }

    /// One line of a labels file.
    struct Label {
        /// The chain classifier's class.
        var kind: String
        var set: String
        var actor: String
        /// The scenario's behaviour name.
        var behaviour: String
    }

    /// The labels file as address → label, its columns found by the header's names.
    static func labels(_ run: Run) throws -> [String: Label] {
        let text = try String(contentsOfFile: run.directory.file("labels.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = lines.first?.map(String.init) ?? []
        func column(_ name: String) -> Int { header.firstIndex(of: name) ?? Int.max }
        let (address, kind, set, actor, behaviour) = (column("address"), column("class"), column("set"),
                                                      column("actor"), column("behaviour"))
        var labels = [String: Label]()
        for fields in lines.dropFirst() {
            labels[String(fields[address])] = Label(kind: String(fields[kind]), set: String(fields[set]),
                                                    actor: String(fields[actor]),
                                                    behaviour: String(fields[behaviour]))
        }
        return labels
    }

    /// Runs a program, returning its exit status and standard output.
    static func runProcess(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String,
                                                                            error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
