import BitcoinData
import ChainStore
import ChainTestSupport
import Foundation
import Testing
import TestSupport
@testable import ChainIngest

/// Corrupt copies of valid chains, made in the test: ingestion stops at the damage with a message naming the file,
/// the offset, the block and what is wrong, and the store holds exactly the blocks before it.
@Suite("Block files checked as a node checks them")
struct DamagedBlockFileTests {
    /// The blocks' serialisations, written to one file in `directory`; returns the file's path and each block's
    /// offset in it (after its record header).
    static func write(_ raw: [[UInt8]], to directory: TemporaryDirectory, appending extra: [UInt8] = [])
        throws -> (path: String, offsets: [Int]) {
        let path = try BlockFileWriter(directory: directory.path, network: .regtest).write(raw: raw, appending: extra)
        var offsets = [Int]()
        var position = 0
        for bytes in raw {
            offsets.append(position + 8)
            position += 8 + bytes.count
        }
        return (try #require(path.first), offsets)
    }

    /// The header with its nonce moved to the first value whose hash meets (or, with `valid` false, misses) the
    /// target.
    static func regrind(_ header: BlockHeader, valid: Bool) -> BlockHeader {
        var header = header
        repeat { header.nonce &+= 1 } while header.hasValidProofOfWork != valid
        return header
    }

    /// Ingests `directory`, expecting a failure; returns its message and the store.
    static func ingestFailing(_ directory: TemporaryDirectory, policy: BlockFileReader.GarbagePolicy = .fail,
                              network: BitcoinNetwork = .regtest) async throws -> (String, ChainStore) {
        let store = try ChainStore(path: ":memory:", network: network)
        let source = try BlockFileSource(reader: BlockFileReader(directory: directory.path, network: network,
                                                                 garbagePolicy: policy))
        var message = ""
        await #expect {
            _ = try await ChainIngestor(store: store, source: source, batchSize: 5).run()
        } throws: { error in
            message = "\(error)"
            return error is IngestError
        }
        return (message, store)
    }

    /// A store holding exactly `blocks` from height 0 gives the same rows as `store`.
    static func expectHolds(_ store: ChainStore, exactly blocks: ArraySlice<Block>) throws {
        let expected = try ChainStore(path: ":memory:", network: .regtest)
        if !blocks.isEmpty { try expected.append(Array(blocks), firstHeight: 0) }
        #expect(try dump(store) == (try dump(expected)))
    }

    /// Ingests a 12-block chain whose block `index` has its header changed; returns the chain, the changed header,
    /// the block's location, the failure's message and the store.
    static func ingestWithHeader(of index: Int, changed change: (inout BlockHeader) -> Void) async throws
        -> (chain: SyntheticChain, header: BlockHeader, location: String, message: String, store: ChainStore) {
        let directory = try TemporaryDirectory()
        let chain = makeChain(blocks: 12)
        var raw = chain.blocks.map(\.serialized)
        var header = chain.blocks[index].header
        change(&header)
        raw[index] = header.serialized + raw[index].dropFirst(BlockHeader.size)
        let (path, offsets) = try write(raw, to: directory)
        let (message, store) = try await ingestFailing(directory)
        return (chain, header, BlockFileRecord.location(file: path, offset: offsets[index]), message, store)
    }

    @Test func changedNonceFailsProofOfWorkNamingFileOffsetAndHeight() async throws {
        let result = try await Self.ingestWithHeader(of: 7) { $0 = Self.regrind($0, valid: false) }
        let hash = result.header.hash
        #expect(result.message.contains("\(result.location), block 7 (\(hash)): proof of work fails: hash \(hash) "
                                        + "above target 7fffff00"), "\(result.message)")
        #expect(result.message.contains("blocks 0–6 are stored; the store ends at a clean block boundary"),
                "\(result.message)")
        try Self.expectHolds(result.store, exactly: result.chain.blocks[0..<7])
    }

    @Test func changedMerkleRootIsNamedAndTheBlocksBeforeAreStored() async throws {
        let result = try await Self.ingestWithHeader(of: 8) { header in
            header.merkleRoot = Hashing.hash256([8])
            header = Self.regrind(header, valid: true)  // so that the merkle check, not proof of work, is what fails
        }
        let original = result.chain.blocks[8].header.merkleRoot
        #expect(result.message.contains("\(result.location), block 8 (\(result.header.hash)): merkle root "
                                        + "\(original) computed, header says \(result.header.merkleRoot)"),
                "\(result.message)")
        #expect(result.message.contains("blocks 0–7 are stored"), "\(result.message)")
        try Self.expectHolds(result.store, exactly: result.chain.blocks[0..<8])
    }

    @Test func fileCutInsideARecordHeaderIsTruncated() async throws {
        let directory = try TemporaryDirectory()
        let chain = makeChain(blocks: 6)
        let raw = chain.blocks.map(\.serialized)
        let cut = Array(BitcoinNetwork.regtest.magic + [0x10, 0x27])
        let (path, offsets) = try Self.write(raw, to: directory, appending: cut)
        let recordStart = offsets[5] + raw[5].count

        let (message, store) = try await Self.ingestFailing(directory)
        #expect(message.contains("\(BlockFileRecord.location(file: path, offset: recordStart)): truncated: "
                                 + "record header cut short: 6 of 8 bytes"), "\(message)")
        #expect(!message.contains("found fabfb5da"), "\(message)")
        #expect(message.contains("blocks 0–5 are stored"), "\(message)")
        try Self.expectHolds(store, exactly: chain.blocks[...])
    }

    @Test func garbageBetweenRecordsIsSkippedAndReported() async throws {
        let directory = try TemporaryDirectory()
        let chain = makeChain(blocks: 4)
        let writer = try BlockFileWriter(directory: directory.path, network: .regtest)
        let first = writer.records(raw: [chain.blocks[0].serialized])
        let garbage: [UInt8] = [0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03]
        let path = directory.file("blk00000.dat")
        try Data(first + garbage + writer.records(raw: chain.blocks.dropFirst().map(\.serialized)))
            .write(to: URL(fileURLWithPath: path))

        let source = try BlockFileSource(reader: BlockFileReader(directory: directory.path, network: .regtest,
                                                                 garbagePolicy: .skip))
        let skipped = await source.skipped
        #expect(skipped.map(\.description) == ["\(BlockFileRecord.location(file: path, offset: first.count)): skipped "
            + "7 bytes: malformed: expected regtest magic fabfb5da, found deadbeef (wrong network, or garbage in the "
            + "file)"])
        let store = try ChainStore(path: ":memory:", network: .regtest)
        let summary = try await ChainIngestor(store: store, source: source).run()
        #expect(summary.tipHeight == 3, "no block was lost, so the run ends at the files' last block")
    }

    @Test func skippingARecordStopsTheChainBeforeTheEndOfTheFiles() async throws {
        let directory = try TemporaryDirectory()
        let chain = makeChain(blocks: 10)
        let (_, original) = try Self.write(chain.blocks.map(\.serialized), to: directory)
        // Overwrite block 4's record header: the block is unreadable and skipped up to block 5's record.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.file("blk00000.dat"))))
        bytes.replaceSubrange(original[4] - 8..<original[4], with: [UInt8](repeating: 0x55, count: 8))
        try Data(bytes).write(to: URL(fileURLWithPath: directory.file("blk00000.dat")))

        let (message, store) = try await Self.ingestFailing(directory, policy: .skip)
        let path = directory.file("blk00000.dat")
        #expect(message.contains("\(BlockFileRecord.location(file: path, offset: original[5])), block 5 "
                                 + "(\(chain.blocks[5].hash)): its previous block \(chain.blocks[4].hash) is not in "
                                 + "the files, so the chain read stops at block 3"), "\(message)")
        #expect(message.contains("blocks 0–3 are stored"), "\(message)")
        try Self.expectHolds(store, exactly: chain.blocks[0..<4])
        let source = try BlockFileSource(reader: BlockFileReader(directory: directory.path, network: .regtest,
                                                                 garbagePolicy: .skip))
        #expect(await source.skipped.map(\.range) == [original[4] - 8..<original[5] - 8])
    }

    @Test func coinbaseWithoutItsHeightFailsBIP34() async throws {
        let directory = try TemporaryDirectory()
        let chain = makeChain(blocks: 5)
        let tip = chain.blocks[4]
        let wrong = BlockAssembler(network: .regtest, previousBlockHash: tip.hash, height: 300,
                                   time: tip.header.time + 600)
            .assemble(coinbaseScript: Destination.pubkeyHash(SyntheticChain.keyHash(1)).scriptPubKey)
        _ = try Self.write(chain.blocks.map(\.serialized) + [wrong.serialized], to: directory)

        let (message, store) = try await Self.ingestFailing(directory)
        #expect(message.contains("block 5 (\(wrong.hash)): coinbase does not start with height 5 (BIP-34): "
                                 + "expected 55, found 022c"), "\(message)")
        try Self.expectHolds(store, exactly: chain.blocks[...])
    }

    @Test func missingDirectoryIsOneLineNamingThePath() throws {
        let path = "/nonexistent/coinsentry/blocks"
        #expect {
            _ = try BlockFileReader(directory: path, network: .regtest)
        } throws: { error in
            "\(error)" == "blocks directory \(path): unreadable: no such directory"
        }
    }
}

/// The shared mainnet block 413567 (damaged in transaction 513; see BitcoinDataTests) in a block file.
@Suite("The real mainnet block in a block file",
       .enabled(if: SharedData.isPresent, Comment(rawValue: SharedData.absentReason)))
struct RealBlockFileTests {
    static let hash = "0000000000000000025aff8be8a55df8f89c77296db6198f272d6577325d4069"

    static func write(header change: (inout BlockHeader) -> Void = { _ in }) throws
        -> (TemporaryDirectory, BlockHeader) {
        var raw = [UInt8](try Data(contentsOf: URL(fileURLWithPath: SharedData.path("bitcoin/block413567.raw"))))
        var reader = ByteReader(raw)
        var header = try BlockHeader(from: &reader)
        change(&header)
        raw.replaceSubrange(0..<BlockHeader.size, with: header.serialized)
        let directory = try TemporaryDirectory()
        try BlockFileWriter(directory: directory.path, network: .mainnet).write(raw: [raw])
        return (directory, header)
    }

    @Test func damageIsNamedWithFileOffsetAndTheCoinbaseHeight() async throws {
        let (directory, _) = try Self.write()
        let (message, store) = try await DamagedBlockFileTests.ingestFailing(directory, network: .mainnet)
        #expect(message.contains("blk00000.dat, offset 8, block 413567 (\(Self.hash)): transaction 513: "
                                 + "at byte offset"), "\(message)")
        #expect(message.hasSuffix("; nothing is stored"), "\(message)")
        #expect(try store.tip() == nil)
    }

    @Test func changedNonceFailsProofOfWorkAgainstTheHeadersTarget() async throws {
        let (directory, header) = try Self.write { $0.nonce &+= 1 }
        let (message, store) = try await DamagedBlockFileTests.ingestFailing(directory, network: .mainnet)
        #expect(message.contains("blk00000.dat, offset 8, block 413567 (\(header.hash)): proof of work fails: hash "
                                 + "\(header.hash) above target 0000000000000000058436000000"), "\(message)")
        #expect(message.hasSuffix("; nothing is stored"), "\(message)")
        #expect(try store.tip() == nil)
    }
}
