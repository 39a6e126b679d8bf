import ChainTestSupport
import Foundation
import Testing
@testable import BitcoinData

@Suite("Block files (blk*.dat)")
struct BlockFileTests {
    static func chain(blocks: Int) -> SyntheticChain {
        var chain = SyntheticChain()
        for _ in 0..<blocks { chain.extend(transactions: 3) }
        return chain
    }

    @Test(arguments: [[UInt8](), [0x31, 0xa9, 0x07, 0xfe, 0x00, 0x11, 0x5c, 0x80]])
    func recordsRoundTripWithAndWithoutObfuscation(key: [UInt8]) throws {
        let directory = try TemporaryDirectory()
        let chain = Self.chain(blocks: 12)
        let writer = try BlockFileWriter(directory: directory.path, network: .regtest, xorKey: key,
                                         maximumFileSize: 2_000)
        let paths = try writer.write(chain.blocks)
        #expect(paths.count > 1, "a small maximum file size splits the blocks over several files")
        let reader = try BlockFileReader(directory: directory.path, network: .regtest)
        #expect(reader.xorKey == key)
        #expect(try reader.blockFiles() == paths)
        let records = try paths.flatMap { try reader.records(inFile: $0) }
        #expect(try records.map { try $0.block().hash } == chain.blocks.map(\.hash))
        for record in records { try record.block().validateCommitments() }
        if !key.isEmpty {
            let raw = [UInt8](try Data(contentsOf: URL(fileURLWithPath: paths[0])))
            #expect(Array(raw.prefix(4)) != BitcoinNetwork.regtest.magic, "the file on disk is obfuscated")
        }
    }

    @Test(.enabled(if: SharedData.isAvailable, "needs ../shared/data/bitcoin"))
    func mainnetRecordOfTheRealBlockWithObfuscationKey() throws {
        let directory = try TemporaryDirectory()
        let raw = try SharedData.bytes("bitcoin/block413567.raw")
        let key: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        try BlockFileWriter(directory: directory.path, network: .mainnet, xorKey: key).write(raw: [raw, raw])
        let reader = try BlockFileReader(directory: directory.path, network: .mainnet)
        let records = try reader.records(inFile: try reader.blockFiles()[0])
        #expect(records.count == 2)
        #expect(records.allSatisfy { $0.bytes == raw })
        #expect(records[1].offset == 8 + raw.count + 8)
        #expect(try records[1].header().hash.hex == "0000000000000000025aff8be8a55df8f89c77296db6198f272d6577325d4069")
    }

    @Test func preallocatedZeroTailEndsTheFileQuietly() throws {
        let directory = try TemporaryDirectory()
        let chain = Self.chain(blocks: 3)
        let writer = try BlockFileWriter(directory: directory.path, network: .regtest, xorKey: [9, 9, 9, 9, 9, 9, 9, 9])
        let path = try writer.write(chain.blocks, appending: [UInt8](repeating: 0, count: 4096))[0]
        let reader = try BlockFileReader(directory: directory.path, network: .regtest)
        #expect(try reader.records(inFile: path).count == 3)
    }

    @Test func garbageIsAnErrorNamingFileAndOffsetOrIsSkipped() throws {
        let directory = try TemporaryDirectory()
        let chain = Self.chain(blocks: 3)
        let writer = try BlockFileWriter(directory: directory.path, network: .regtest)
        let first = writer.records(raw: [chain.blocks[0].serialized])
        let rest = writer.records(raw: chain.blocks.dropFirst().map(\.serialized))
        let path = directory.file("blk00000.dat")
        try Data(first + [0xde, 0xad, 0xbe, 0xef, 0x01] + rest).write(to: URL(fileURLWithPath: path))

        let strict = try BlockFileReader(directory: directory.path, network: .regtest)
        #expect {
            _ = try strict.records(inFile: path)
        } throws: { error in
            let error = try #require(error as? BitcoinDataError)
            return error.offset == first.count && error.context == path && "\(error)".contains(path)
        }
        let lenient = try BlockFileReader(directory: directory.path, network: .regtest, garbagePolicy: .skip)
        var skipped = [SkippedBytes]()
        let records = try lenient.records(inFile: path) { skipped.append($0) }
        #expect(try records.map { try $0.block().hash } == chain.blocks.map(\.hash))
        #expect(skipped.map(\.range) == [first.count..<first.count + 5])
        #expect(skipped.first?.reason.contains("expected regtest magic fabfb5da, found deadbeef") == true)
    }

    @Test func wrongNetworkMagicIsNamed() throws {
        let directory = try TemporaryDirectory()
        try BlockFileWriter(directory: directory.path, network: .testnet).write(Self.chain(blocks: 1).blocks)
        let reader = try BlockFileReader(directory: directory.path, network: .regtest)
        #expect {
            _ = try reader.records(inFile: try reader.blockFiles()[0])
        } throws: { error in
            "\(error)".contains("expected regtest magic fabfb5da, found 0b110907") && "\(error)".contains("offset 0")
        }
    }

    @Test func truncatedLastRecordIsAnError() throws {
        let directory = try TemporaryDirectory()
        let chain = Self.chain(blocks: 2)
        let bytes = try BlockFileWriter(directory: directory.path, network: .regtest)
            .records(raw: chain.blocks.map(\.serialized))
        let path = directory.file("blk00000.dat")
        try Data(bytes.dropLast(10)).write(to: URL(fileURLWithPath: path))
        let reader = try BlockFileReader(directory: directory.path, network: .regtest)
        let firstLength = chain.blocks[0].serialized.count + 8
        #expect {
            _ = try reader.records(inFile: path)
        } throws: { error in
            let error = try #require(error as? BitcoinDataError)
            return error.code == .truncated && error.offset == firstLength && error.context == path
        }
    }

    @Test func corruptBlockInsideARecordNamesFileAndAbsoluteOffset() throws {
        let directory = try TemporaryDirectory()
        var bytes = Self.chain(blocks: 1).blocks[0].serialized
        bytes[80] = 0x30
        try BlockFileWriter(directory: directory.path, network: .regtest).write(raw: [bytes])
        let reader = try BlockFileReader(directory: directory.path, network: .regtest)
        let record = try #require(try reader.records(inFile: try reader.blockFiles()[0]).first)
        #expect {
            _ = try record.block()
        } throws: { error in
            let error = try #require(error as? BitcoinDataError)
            return error.context?.contains("blk00000.dat, offset 8") == true && (error.offset ?? 0) >= 8
        }
    }

    @Test func badXorKeyFileIsRejected() throws {
        let directory = try TemporaryDirectory()
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: directory.file("xor.dat")))
        #expect(throws: BitcoinDataError.self) { _ = try BlockFileReader(directory: directory.path, network: .regtest) }
    }
}
