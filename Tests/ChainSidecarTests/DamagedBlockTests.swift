import BitcoinData
import ChainTestSupport
import Foundation
import Logging
import Testing
import TestSupport
@testable import ChainSidecar

/// A block that cannot be decoded stops the sidecar's ingestion with an error naming the file, the offset, the
/// transaction and what is wrong, and nothing of the batch holding it is stored.
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

    /// A regtest chain whose block 55 is cut inside a transaction: the first batch (heights 0 to 49) is stored, the
    /// batch holding the damaged block is not, and the error says where and what.
    @Test func damagedBlockStopsIngestionAfterTheLastWholeBatch() async throws {
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
        #expect(status["tip_height"] as? Int == 49)
        #expect(error.contains("the store keeps blocks up to height 49"), "\(error)")
        #expect(error.contains("transaction \(transactions.count - 1)"), "\(error)")
        #expect(error.contains("truncated"), "\(error)")
        #expect(error.contains("blk00000.dat"), "\(error)")
        #expect(await sidecar.lastCycleFailed)
    }
}
