import BitcoinData
import ChainTestSupport
import Foundation
import Logging
import Testing
import TestSupport
@testable import ChainSidecar

/// A stop request ends ingestion between batches: what is stored is always whole batches, and a later run goes on
/// from there to the tip with nothing missing or doubled.
@Suite("Chain sidecar stopping")
struct StopTests {
    @Test func stopRequestLeavesWholeBatchesAndALaterRunCompletesTheChain() async throws {
        let directory = try TemporaryDirectory()
        let blocks = directory.file("blocks")
        let chain = BehaviourChain(seed: 6, blockCount: 120)
        try BlockFileWriter(directory: blocks, network: .regtest).write(chain.blocks)
        let configuration = try ChainSidecarConfiguration(
            toml: configurationText(blocks: blocks, directory: directory), source: "t")
        let first = try await ChainSidecar(configuration: configuration, logger: Logger(label: "test"))
        let cycle = Task { await first.runCycle() }
        while try await reply(first, #"{"cmd":"status"}"#)["tip_height"] == nil {
            try await Task.sleep(for: .milliseconds(5))
        }
        first.requestStop()
        await cycle.value
        await first.close()
        let stopped = try #require(try await reply(first, #"{"cmd":"status"}"#)["tip_height"] as? Int)
        #expect((stopped + 1) % 50 == 0 || stopped == 119, "stopped at \(stopped), inside a batch")
        #expect(try await reply(first, #"{"cmd":"status"}"#)["last_error"] == nil)

        let second = try await ChainSidecar(configuration: configuration, logger: Logger(label: "test"))
        await second.runCycle()
        let status = try await reply(second, #"{"cmd":"status"}"#)
        #expect(status["tip_height"] as? Int == 119)
        #expect(status["blocks"] as? Int == 120)
        #expect(status["transactions"] as? Int == chain.blocks.reduce(0) { $0 + $1.transactions.count })
    }
}

/// A reorg that replaces blocks the watchlist monitor has already examined: the replacing blocks are examined too.
@Suite("Chain sidecar watchlist across a reorg")
struct ReorgWatchlistTests {
    @Test func activityInABlockReplacingAnExaminedOneIsAlerted() async throws {
        let directory = try TemporaryDirectory()
        let blocks = directory.file("blocks")
        let key = 700_002  // coinbases pay P2PKH; no generated spend pays this key
        let watched = Destination.pubkeyHash(SyntheticChain.keyHash(key)).address(on: .regtest)
        try "\(watched)\n".write(toFile: directory.file("watch.txt"), atomically: true, encoding: .utf8)
        var main = SyntheticChain()
        for _ in 0..<8 { main.extend() }
        let writer = try BlockFileWriter(directory: blocks, network: .regtest)
        try writer.write(main.blocks)
        let sidecar = try await ChainSidecar(
            configuration: try ChainSidecarConfiguration(toml: configurationText(blocks: blocks, directory: directory),
                                                         source: "t"),
            logger: Logger(label: "test"))
        await sidecar.runCycle()  // heights 0...7: history

        main.extend(coinbaseKey: key)  // height 8 pays the watched address
        main.extend()
        try writer.write(main.blocks)
        await sidecar.runCycle()
        #expect(try await reply(sidecar, #"{"cmd":"status"}"#)["alerts"] as? Int == 1)

        // A longer branch from height 8 whose own block 8 pays the address again, in another coinbase (one spend
        // fewer, so other fees and another coinbase transaction).
        var branch = main.truncated(to: 8, seed: 11)
        branch.extend(transactions: 1, coinbaseKey: key)
        branch.extend()
        branch.extend()
        #expect(branch.blocks[8].hash != main.blocks[8].hash)
        try writer.write(main.blocks + branch.blocks.suffix(3))
        await sidecar.runCycle()
        let status = try await reply(sidecar, #"{"cmd":"status"}"#)
        #expect(status["tip_height"] as? Int == 10)
        #expect(status["tip_hash"] as? String == branch.blocks[10].hash.hex)
        #expect(status["alerts"] as? Int == 2, "the replacing block 8 pays the watched address")
        let lines = try await jsonLines(directory.file("alerts.jsonl"), atLeast: 2)
        let txids = lines.compactMap { line -> String? in
            let evidence = (line["coinsentry"] as? [String: Any])?["evidence"] as? [[String: Any]]
            return evidence?.first { $0["kind"] as? String == "txid" }?["name"] as? String
        }
        #expect(txids == [main.blocks[8].transactions[0].txid.hex, branch.blocks[8].transactions[0].txid.hex])
        #expect(Set(txids).count == 2)
    }
}

/// A block that cannot be decoded stops the sidecar's ingestion with an error naming the file, the offset, the
/// block, the transaction and what is wrong, and the blocks before it are stored.
@Suite("Chain sidecar on damaged block files")
struct DamagedBlockTests {
    /// The shared mainnet block 413567 is damaged in transaction 513 (see BitcoinDataTests' RealBlockTests).
    @Test(.enabled(if: SharedData.isPresent, Comment(rawValue: SharedData.absentReason)))
    func sharedDamagedBlockIsReportedByTransactionAndOffsetAndNothingIsStored() async throws {
        let directory = try TemporaryDirectory()
        let blocks = directory.file("blocks")
        let raw = [UInt8](try Data(contentsOf: URL(fileURLWithPath: SharedData.path("bitcoin/block413567.raw"))))
        try BlockFileWriter(directory: blocks, network: .mainnet).write(raw: [raw])
        let text = configurationText(blocks: blocks, directory: directory)
            .replacingOccurrences(of: "network = \"regtest\"", with: "network = \"mainnet\"")
        let sidecar = try await ChainSidecar(configuration: try ChainSidecarConfiguration(toml: text, source: "t"),
                                             logger: Logger(label: "test"))
        await sidecar.runCycle()
        let status = try await reply(sidecar, #"{"cmd":"status"}"#)
        let error = try #require(status["last_error"] as? String)
        #expect(error.contains("transaction 513"), "\(error)")
        #expect(error.contains("blk00000.dat"), "\(error)")
        #expect(error.contains("offset"), "\(error)")
        #expect(status["tip_height"] == nil, "no part of the damaged block is stored")
        #expect(sidecar.statusLine.contains("no blocks yet"))
    }

    /// A regtest chain whose block 55 is cut inside a transaction: heights 0 to 54 are stored (the first batch
    /// whole, the second up to the damaged block), and the error says where and what.
    @Test func damagedBlockStopsIngestionAfterTheBlockBeforeIt() async throws {
        let directory = try TemporaryDirectory()
        let blocks = directory.file("blocks")
        let chain = BehaviourChain(seed: 5, blockCount: 60)
        var raw = chain.blocks.map(\.serialized)
        let damaged = 55
        let transactions = chain.blocks[damaged].transactions
        #expect(transactions.count > 1)
        raw[damaged] = Array(raw[damaged].dropLast(10))
        try BlockFileWriter(directory: blocks, network: .regtest).write(raw: raw)
        let sidecar = try await ChainSidecar(
            configuration: try ChainSidecarConfiguration(toml: configurationText(blocks: blocks, directory: directory),
                                                         source: "t"),
            logger: Logger(label: "test"))
        await sidecar.runCycle()
        let status = try await reply(sidecar, #"{"cmd":"status"}"#)
        let error = try #require(status["last_error"] as? String)
        #expect(status["tip_height"] as? Int == 54)
        #expect(error.contains("block 55 (\(chain.blocks[damaged].hash))"), "\(error)")
        #expect(error.contains("blocks 0–54 are stored"), "\(error)")
        #expect(error.contains("transaction \(transactions.count - 1)"), "\(error)")
        #expect(error.contains("truncated"), "\(error)")
        #expect(error.contains("blk00000.dat"), "\(error)")
        #expect(await sidecar.lastCycleFailed)
    }
}
