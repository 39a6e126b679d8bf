import BitcoinData
import ChainTestSupport
import Foundation
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

    /// Every block of a run's block files, read back through the colleague's reader.
    static func readBlocks(_ directory: String) throws -> [Block] {
        let reader = try BlockFileReader(directory: directory, network: .regtest)
        return try reader.blockFiles().flatMap { try reader.records(inFile: $0).map { try $0.block() } }
    }

    /// The labels file as address → (class, actor).
    static func labels(_ run: Run) throws -> [String: (kind: String, actor: String)] {
        let text = try String(contentsOfFile: run.directory.file("labels.csv"), encoding: .utf8)
        var labels = [String: (kind: String, actor: String)]()
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",").map(String.init)
            labels[fields[0]] = (fields[1], fields[2])
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
