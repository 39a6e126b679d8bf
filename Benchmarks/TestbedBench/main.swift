// coinsentry-bench-testbed: transactions generated and signed per second, blocks written per second.
//
//   swift build -c release --product coinsentry-bench-testbed
//   .build/release/coinsentry-bench-testbed [--scenario PATH] [--seed N] [--signatures N]
//
// Prints absolute figures and the machine; no thresholds.
import BitcoinData
import Foundation
import Testbed

func argument(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func seconds(_ work: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try work()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let machine = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
    .split(separator: "\n").first { $0.hasPrefix("model name") }?
    .split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
let scenarioPath = argument("--scenario") ?? "etc/coinsentry/scenarios/rich.toml"
let seed = UInt64(argument("--seed") ?? "") ?? 2024
let signatureCount = Int(argument("--signatures") ?? "") ?? 2_000
print("machine: \(machine), \(ProcessInfo.processInfo.activeProcessorCount) cores; one thread")

// Signing alone: one-input, two-output transactions of each type.
var random = SeededRandom(seed: seed)
for type in OutputType.allCases {
    let keys = try (0..<(type == .p2shMultisig ? 3 : 1)).map { _ in try PrivateKey(bytes: random.bytes32()) }
    let script = try OwnedScript(type: type, keys: keys)
    let coin = Coin(outpoint: OutPoint(txid: Hashing.hash256(random.bytes32()), index: 0), value: 100_000_000,
                    script: script, height: 1, isCoinbase: false)
    var transactions = (0..<signatureCount).map { index in
        Transaction(version: 2, inputs: [TransactionInput(previousOutput: coin.outpoint, scriptSig: [])],
                    outputs: [script.output(50_000_000 - Int64(index)), script.output(49_990_000)], lockTime: 0)
    }
    let elapsed = try seconds {
        for index in transactions.indices { try TransactionSigner.sign(&transactions[index], spending: [coin]) }
    }
    let name = type.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)
    print("sign " + name + String(format: "%8.0f transactions/s  (%d in %.3f s)",
                                  Double(signatureCount) / elapsed, signatureCount, elapsed))
}

// A whole scenario: behaviours, coin selection, key generation, signing and mining.
let scenario = try ScenarioLoader.load(path: scenarioPath)
let runner = try TestbedRunner(scenario: scenario, seed: seed)
var world: TestbedWorld?
let runSeconds = seconds { world = runner.run() }
guard let world else { fatalError("the run produced no world") }
let transactions = world.statistics.transactions
print(String(format: "scenario %@: %d blocks, %d transactions generated, signed and mined in %.3f s: "
             + "%.0f transactions/s, %.0f blocks/s", scenario.name, world.chain.blocks.count, transactions,
             runSeconds, Double(transactions) / runSeconds, Double(world.chain.blocks.count) / runSeconds))

// Writing the block files.
let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("coinsentry-bench-\(getpid())")
defer { try? FileManager.default.removeItem(atPath: directory) }
let rounds = 20
var bytes = 0
let writeSeconds = try seconds {
    for _ in 0..<rounds {
        let paths = try BlockFileWriter(directory: directory, network: .regtest).write(world.chain.blocks)
        bytes = paths.reduce(0) { total, path in
            total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
    }
}
let blocksWritten = world.chain.blocks.count * rounds
print(String(format: "write blk*.dat: %.0f blocks/s, %.1f MB/s (%d blocks of %.1f KB average, %d rounds)",
             Double(blocksWritten) / writeSeconds, Double(bytes * rounds) / writeSeconds / 1e6,
             world.chain.blocks.count, Double(bytes) / Double(world.chain.blocks.count) / 1e3, rounds))
