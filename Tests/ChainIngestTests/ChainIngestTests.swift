import BitcoinData
import ChainStore
import ChainTestSupport
import Foundation
import GRDB
import Testing
@testable import ChainIngest

func makeChain(blocks: Int, startHeight: Int = 0, parent: Hash256 = .zero) -> SyntheticChain {
    var chain = SyntheticChain(startHeight: startHeight, parent: parent)
    for _ in 0..<blocks { chain.extend(transactions: 3) }
    return chain
}

/// Rows of a store independent of row ids.
func dump(_ store: ChainStore) throws -> [String] {
    try store.database.read { db in
        try String.fetchAll(db, sql: """
            SELECT 'block ' || height || ' ' || hex(hash) FROM block
            UNION ALL SELECT 'out ' || hex(t.txid) || ':' || o.n || ' ' || o.value || ' ' || ifnull(hex(s.txid), '-')
            FROM output o JOIN tx t ON t.id = o.tx_id LEFT JOIN tx s ON s.id = o.spent_by_tx_id
            UNION ALL SELECT 'in ' || hex(t.txid) || ':' || i.n || ' ' || ifnull(i.value, '-')
            FROM input i JOIN tx t ON t.id = i.tx_id
            UNION ALL SELECT 'addr ' || address FROM address
            ORDER BY 1
            """)
    }
}

@Suite("Ingestion from block files")
struct BlockFileIngestTests {
    @Test func ingestsTheBestChainIgnoringAStaleFork() async throws {
        let directory = try TemporaryDirectory()
        let main = makeChain(blocks: 9)
        var stale = main.truncated(to: 5, seed: 3)
        stale.extend(transactions: 1)
        // The stale block sits between main-chain blocks, as a node that saw a short fork would have written it.
        let ordered = Array(main.blocks.prefix(6)) + [stale.blocks[5]] + Array(main.blocks.dropFirst(6))
        try BlockFileWriter(directory: directory.path, network: .regtest, xorKey: [7, 1, 7, 1, 7, 1, 7, 1],
                            maximumFileSize: 3_000).write(ordered)
        let source = try BlockFileSource(reader: BlockFileReader(directory: directory.path, network: .regtest))
        #expect(await source.indexedBlockCount == 10)
        #expect(try await source.chainTip().hash == main.blocks.last?.hash)

        let store = try ChainStore(path: ":memory:", network: .regtest)
        let summary = try await ChainIngestor(store: store, source: source, batchSize: 4).run()
        #expect(summary.written.blocks == 9)
        #expect(summary.tipHeight == 8)
        #expect(summary.written.unresolvedInputs == 0)
        let fresh = try ChainStore(path: ":memory:", network: .regtest)
        try fresh.append(main.blocks, firstHeight: 0)
        #expect(try dump(store) == (try dump(fresh)))
    }

    @Test func resumesFromTheLastStoredHeightAndFollowsAReorg() async throws {
        let directory = try TemporaryDirectory()
        let first = makeChain(blocks: 8)
        let writer = try BlockFileWriter(directory: directory.path, network: .regtest)
        try writer.write(Array(first.blocks.prefix(5)))
        let store = try ChainStore(path: directory.file("chain.sqlite"), network: .regtest)
        let reader = try BlockFileReader(directory: directory.path, network: .regtest)
        var summary = try await ChainIngestor(store: store, source: try BlockFileSource(reader: reader)).run()
        #expect(summary.written.blocks == 5)

        try writer.write(first.blocks)
        summary = try await ChainIngestor(store: store, source: try BlockFileSource(reader: reader)).run()
        #expect(summary.fromHeight == 5)
        #expect(summary.written.blocks == 3)
        #expect(summary.rolledBackBlocks == 0)

        var branch = first.truncated(to: 6, seed: 9)
        for _ in 0..<4 { branch.extend(transactions: 2) }
        try writer.write(first.blocks + Array(branch.blocks.dropFirst(6)))
        summary = try await ChainIngestor(store: store, source: try BlockFileSource(reader: reader)).run()
        #expect(summary.rolledBackBlocks == 2)
        #expect(summary.fromHeight == 6)
        #expect(try store.tip()?.hash == branch.blocks.last?.hash)
        let fresh = try ChainStore(path: ":memory:", network: .regtest)
        try fresh.append(branch.blocks, firstHeight: 0)
        #expect(try dump(store) == (try dump(fresh)))

        summary = try await ChainIngestor(store: store, source: try BlockFileSource(reader: reader)).run()
        #expect(summary.written.blocks == 0 && summary.rolledBackBlocks == 0)
    }

    @Test func heightsOfFilesStartingMidChainComeFromTheCoinbase() async throws {
        let directory = try TemporaryDirectory()
        let chain = makeChain(blocks: 6, startHeight: 70_000, parent: Hashing.hash256([1]))
        try BlockFileWriter(directory: directory.path, network: .regtest).write(Array(chain.blocks.dropFirst(3)))
        let source = try BlockFileSource(reader: BlockFileReader(directory: directory.path, network: .regtest))
        #expect(await source.lowestHeight() == 70_003)
        let store = try ChainStore(path: ":memory:", network: .regtest)
        let summary = try await ChainIngestor(store: store, source: source).run()
        #expect(summary.fromHeight == 70_003)
        #expect(summary.tipHeight == 70_005)
        #expect(summary.written.unresolvedInputs > 0, "outputs from before the files cannot be resolved")
    }

    @Test func storeOfAnotherNetworkIsRefused() async throws {
        let directory = try TemporaryDirectory()
        try BlockFileWriter(directory: directory.path, network: .regtest).write(makeChain(blocks: 1).blocks)
        let source = try BlockFileSource(reader: BlockFileReader(directory: directory.path, network: .regtest))
        let store = try ChainStore(path: ":memory:", network: .testnet)
        await #expect(throws: IngestError.self) { _ = try await ChainIngestor(store: store, source: source).run() }
    }
}

@Suite("Ingestion over JSON-RPC (against a stand-in node)")
struct RPCIngestTests {
    @Test func ingestsOverRPCWithUserPasswordThenFollowsAReorg() async throws {
        let chain = makeChain(blocks: 7)
        let node = try FakeNode(blocks: chain.blocks, auth: "alice:s3cret")
        let client = BitcoinRPCClient(url: node.url, credentials: .userPassword("alice", "s3cret"))
        let store = try ChainStore(path: ":memory:", network: .regtest)
        var summary = try await ChainIngestor(store: store, source: RPCBlockSource(client: client), batchSize: 3).run()
        #expect(summary.written.blocks == 7)
        let fresh = try ChainStore(path: ":memory:", network: .regtest)
        try fresh.append(chain.blocks, firstHeight: 0)
        #expect(try dump(store) == (try dump(fresh)))

        var branch = chain.truncated(to: 4, seed: 5)
        for _ in 0..<5 { branch.extend(transactions: 2) }
        try node.serve(blocks: branch.blocks)
        summary = try await ChainIngestor(store: store, source: RPCBlockSource(client: client)).run()
        #expect(summary.rolledBackBlocks == 3)
        #expect(summary.written.blocks == 5)
        #expect(try store.tip()?.hash == branch.blocks.last?.hash)
    }

    @Test func cookieFileAuthenticatesAndBadCredentialsAreNamed() async throws {
        let chain = makeChain(blocks: 2)
        let node = try FakeNode(blocks: chain.blocks, auth: "__cookie__:abc123")
        let cookie = node.directory.file(".cookie")
        try "__cookie__:abc123".write(toFile: cookie, atomically: true, encoding: .utf8)
        let source = RPCBlockSource(client: BitcoinRPCClient(url: node.url, credentials: .cookieFile(cookie)))
        #expect(try await source.chainTip().hash == chain.blocks[1].hash)
        #expect(try await source.block(at: 1).hash == chain.blocks[1].hash)

        let wrong = RPCBlockSource(client: BitcoinRPCClient(url: node.url, credentials: .userPassword("x", "y")))
        await #expect {
            _ = try await wrong.chainTip()
        } throws: { error in
            "\(error)".contains("refused the credentials (HTTP 401)")
        }
        let missing = RPCBlockSource(client: BitcoinRPCClient(url: node.url,
                                                              credentials: .cookieFile("/nonexistent/.cookie")))
        await #expect { _ = try await missing.chainTip() } throws: { "\($0)".contains("/nonexistent/.cookie") }
        await #expect { _ = try await source.blockHash(at: 99) } throws: { "\($0)".contains("out of range") }
    }

    /// A node that accepts the connection but never answers, one that is not listening, and an https URL: each is
    /// an error naming the method and what went wrong, within the client's timeout.
    @Test func silentAbsentAndHTTPSNodesAreNamedErrors() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(listener >= 0)
        var listening = true
        defer { if listening { close(listener) } }  // closed once: a second close could hit a reused descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 4) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        #expect(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        // The kernel completes the handshake from the listen backlog; nobody ever reads or answers.
        let silent = BitcoinRPCClient(url: URL(string: "http://127.0.0.1:\(port)/")!, credentials: .none, timeout: 1)
        await #expect { _ = try await silent.call("getblockchaininfo") } throws: {
            "\($0)".contains("getblockchaininfo") && "\($0)".contains("no reply within 1")
        }
        close(listener)
        listening = false
        let absent = BitcoinRPCClient(url: URL(string: "http://127.0.0.1:\(port)/")!, credentials: .none, timeout: 1)
        await #expect { _ = try await absent.call("getblockhash", [0]) } throws: {
            "\($0)".contains("getblockhash") && "\($0)".contains("cannot connect to 127.0.0.1:\(port)")
        }
        let https = BitcoinRPCClient(url: URL(string: "https://127.0.0.1:8332/")!, credentials: .none)
        await #expect { _ = try await https.call("getblockchaininfo") } throws: {
            "\($0)".contains("only http:// URLs")
        }
    }

    @Test func verboseBlockThatDoesNotHashToItsIdIsRejected() throws {
        let block = makeChain(blocks: 1).blocks[0]
        var json = FakeNode.verbose(block, height: 0)
        json["nonce"] = Int(block.header.nonce) + 1
        #expect(throws: IngestError.self) { _ = try RPCBlockSource.block(fromVerbose: json, expectedHash: block.hash) }
        let good = try RPCBlockSource.block(fromVerbose: FakeNode.verbose(block, height: 0), expectedHash: block.hash)
        #expect(good.serialized == block.serialized)
    }
}

@Suite("Cross-check with an independent block writer")
struct IndependentWriterTests {
    static let generator = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Benchmarks/make_regtest_blocks.py").path

    /// Blocks written by a separate Python implementation (serialisation, merkle root, witness commitment, mining)
    /// ingest with every commitment checked, and the txids stored are the ones that implementation computed.
    @Test func blocksFromThePythonWriterIngestWithMatchingTxids() async throws {
        let directory = try TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.generator, directory.path, "--blocks", "25", "--tx-per-block", "6"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let store = try ChainStore(path: ":memory:", network: .regtest)
        let source = try BlockFileSource(reader: BlockFileReader(directory: directory.path, network: .regtest))
        let summary = try await ChainIngestor(store: store, source: source).run()
        #expect(summary.tipHeight == 24)
        #expect(summary.written.unresolvedInputs == 0)
        let json = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: directory.file("chain.json")))) as? [String: Any])
        let blocks = try #require(json["blocks"] as? [[String: Any]])
        let txids = blocks.flatMap { ($0["tx"] as? [[String: Any]] ?? []).compactMap { $0["txid"] as? String } }
        #expect(summary.written.transactions == txids.count)
        for txid in txids { #expect(try store.transaction(try Hash256(hex: txid)) != nil, "\(txid)") }
        #expect(try store.tip()?.hash.hex == blocks.last?["hash"] as? String)
    }
}
