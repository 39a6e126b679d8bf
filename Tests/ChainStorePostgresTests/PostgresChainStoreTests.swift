import BitcoinData
import ChainIngest
import ChainStore
import ChainTestSupport
import Foundation
import GRDB
import PostgresNIO
import Testing
@testable import ChainStorePostgres

/// A real PostgreSQL server named by `COINSENTRY_TEST_POSTGRES` (postgres://USER@HOST:PORT/DATABASE); CI starts one
/// from Debian's package. The tests drop and recreate the chain tables in that database.
enum TestPostgres {
    static let url = ProcessInfo.processInfo.environment["COINSENTRY_TEST_POSTGRES"]
    static var isConfigured: Bool { url != nil }

    static func freshStore(network: BitcoinNetwork = .regtest) async throws -> PostgresChainStore {
        let configuration = try PostgresChainStore.configuration(url: try #require(url))
        let client = PostgresClient(configuration: configuration)
        let runner = Task { await client.run() }
        try await client.query("""
            DROP TABLE IF EXISTS input, output_key, output, address, tx, block, meta, analysis_state CASCADE
            """)
        runner.cancel()
        return try await PostgresChainStore(configuration: configuration, network: network)
    }
}

func flowSummary(_ store: any ChainDatabase, _ heights: ClosedRange<Int>) async throws -> [String] {
    try await store.flows(heights: heights).map { flow in
        "\(flow.height) \(flow.txid.hex) "
            + flow.inputs.map { "\($0.address ?? "-"):\($0.value ?? -1)" }.joined(separator: ",")
            + " -> " + flow.outputs.map { "\($0.address ?? "-"):\($0.value)" }.joined(separator: ",")
    }
}

/// Fees and spending links, as `txid fee` and `txid:n spent-by-txid` lines, from either store.
func feesAndSpends(_ postgres: PostgresChainStore) async throws -> [String] {
    var lines = [String]()
    for try await (txid, fee) in try await postgres.client.query("SELECT txid, fee FROM tx").decode((Data, Int?).self) {
        lines.append("\(Hash256([UInt8](txid)).hex) \(fee.map(String.init) ?? "-")")
    }
    for try await (txid, n, spender) in try await postgres.client.query("""
        SELECT t.txid, o.n, s.txid FROM output o JOIN tx t ON t.id = o.tx_id LEFT JOIN tx s ON s.id = o.spent_by_tx_id
        """).decode((Data, Int, Data?).self) {
        lines.append("\(Hash256([UInt8](txid)).hex):\(n) \(spender.map { Hash256([UInt8]($0)).hex } ?? "-")")
    }
    return lines.sorted()
}

func feesAndSpends(_ sqlite: ChainStore) throws -> [String] {
    try sqlite.database.read { db in
        var lines = [String]()
        for row in try Row.fetchAll(db, sql: "SELECT txid, fee FROM tx") {
            let fee: Int? = row["fee"]
            lines.append("\(Hash256([UInt8](row["txid"] as Data)).hex) \(fee.map(String.init) ?? "-")")
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT t.txid AS txid, o.n AS n, s.txid AS spender FROM output o JOIN tx t ON t.id = o.tx_id
            LEFT JOIN tx s ON s.id = o.spent_by_tx_id
            """) {
            let spender: Data? = row["spender"]
            let n: Int = row["n"]
            lines.append("\(Hash256([UInt8](row["txid"] as Data)).hex):\(n) "
                         + "\(spender.map { Hash256([UInt8]($0)).hex } ?? "-")")
        }
        return lines.sorted()
    }
}

@Suite("PostgreSQL chain store", .serialized,
       .enabled(if: TestPostgres.isConfigured, "set COINSENTRY_TEST_POSTGRES=postgres://USER@HOST:PORT/DATABASE"))
struct PostgresChainStoreTests {
    static func chain(blocks: Int) -> SyntheticChain {
        var chain = SyntheticChain()
        for _ in 0..<blocks { chain.extend(transactions: 3) }
        return chain
    }

    @Test func holdsWhatTheSQLiteStoreHolds() async throws {
        let chain = Self.chain(blocks: 10)
        let postgres = try await TestPostgres.freshStore()
        defer { postgres.shutdown() }
        let sqlite = try ChainStore(path: ":memory:", network: .regtest)
        let summary = try await postgres.append(chain.blocks, firstHeight: 0)
        #expect(summary == (try sqlite.append(chain.blocks, firstHeight: 0)))
        #expect(try await postgres.counts() == (try sqlite.counts()))
        #expect(try await flowSummary(postgres, 0...9) == (try await flowSummary(sqlite, 0...9)))
        #expect(try await feesAndSpends(postgres) == (try feesAndSpends(sqlite)))
        #expect(try await postgres.tip()?.hash == chain.blocks.last?.hash)
        #expect(try await postgres.lowestHeight() == 0)
        try await postgres.saveAnalysisState("k", value: Data([1, 2]))
        try await postgres.saveAnalysisState("k", value: Data([3]))
        #expect(try await postgres.analysisState("k") == Data([3]))
        await #expect(throws: ChainStoreError.self) { try await postgres.append([chain.blocks[3]], firstHeight: 10) }
        #expect(try await postgres.counts() == (try sqlite.counts()), "a refused append writes nothing")
    }

    @Test func rollbackAndIngestionFollowAReorg() async throws {
        let original = Self.chain(blocks: 8)
        var branch = original.truncated(to: 5, seed: 4)
        for _ in 0..<4 { branch.extend(transactions: 2) }
        let directory = try TemporaryDirectory()
        let writer = try BlockFileWriter(directory: directory.path, network: .regtest)
        try writer.write(original.blocks)
        let postgres = try await TestPostgres.freshStore()
        defer { postgres.shutdown() }
        let reader = try BlockFileReader(directory: directory.path, network: .regtest)
        _ = try await ChainIngestor(store: postgres, source: try BlockFileSource(reader: reader)).run()
        try writer.write(original.blocks + Array(branch.blocks.dropFirst(5)))
        let summary = try await ChainIngestor(store: postgres, source: try BlockFileSource(reader: reader)).run()
        #expect(summary.rolledBackBlocks == 3)
        let fresh = try ChainStore(path: ":memory:", network: .regtest)
        try fresh.append(branch.blocks, firstHeight: 0)
        #expect(try await postgres.counts() == (try fresh.counts()))
        #expect(try await flowSummary(postgres, 0...8) == (try await flowSummary(fresh, 0...8)))
        #expect(try await feesAndSpends(postgres) == (try feesAndSpends(fresh)))
    }

    /// Key outputs are listed as the SQLite store lists them, after appending, after a rollback, and when a
    /// database written before the listings is opened.
    @Test func keyOutputsAreListedAsInSQLite() async throws {
        let chain = KeyOutputChain()
        let addresses = [KeyOutputChain.address(KeyOutputChain.keyA), KeyOutputChain.address(KeyOutputChain.keyB)]
        let postgres = try await TestPostgres.freshStore()
        defer { postgres.shutdown() }
        let sqlite = try ChainStore(path: ":memory:", network: .regtest)
        try await postgres.append(chain.blocks, firstHeight: 0)
        try sqlite.append(chain.blocks, firstHeight: 0)
        for address in addresses {
            let history = try await postgres.addressHistory(address)
            let expected = try sqlite.addressHistory(address)
            #expect(history != nil && history == expected, "\(address)")
        }
        #expect(try await flowSummary(postgres, 100...103) == (try await flowSummary(sqlite, 100...103)))

        try await postgres.client.query("""
            UPDATE input SET address_id = NULL WHERE address_id IN (SELECT address_id FROM output WHERE kind = 'p2pk')
            """)
        try await postgres.client.query("UPDATE output SET address_id = NULL WHERE kind IN ('p2pk', 'multisig')")
        try await postgres.client.query("DELETE FROM output_key")
        try await postgres.client.query("DELETE FROM meta WHERE key = 'key_addresses'")
        let reopened = try await PostgresChainStore(
            configuration: try PostgresChainStore.configuration(url: try #require(TestPostgres.url)), network: .regtest)
        defer { reopened.shutdown() }
        for address in addresses {
            #expect(try await reopened.addressHistory(address) == (try sqlite.addressHistory(address)), "\(address)")
        }
        #expect(try await flowSummary(reopened, 100...103) == (try await flowSummary(sqlite, 100...103)))

        try await reopened.rollback(toHeight: 101)
        try sqlite.rollback(toHeight: 101)
        #expect(try await reopened.addressHistory(addresses[1]) == nil)
        #expect(try await reopened.counts() == (try sqlite.counts()))
    }

    @Test func anotherNetworksDatabaseIsRefused() async throws {
        let postgres = try await TestPostgres.freshStore(network: .regtest)
        postgres.shutdown()
        let configuration = try PostgresChainStore.configuration(url: try #require(TestPostgres.url))
        await #expect(throws: ChainStoreError.self) {
            _ = try await PostgresChainStore(configuration: configuration, network: .mainnet)
        }
        #expect(throws: ChainStoreError.self) { _ = try PostgresChainStore.configuration(url: "mysql://x@y/z") }
    }
}
