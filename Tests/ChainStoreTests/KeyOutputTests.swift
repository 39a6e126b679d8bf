import BitcoinData
import ChainTestSupport
import Foundation
import GRDB
import Testing
@testable import ChainStore

/// Pay-to-pubkey outputs are found under their key's P2PKH address, bare multisig outputs under each key's.
@Suite("Outputs paying keys")
struct KeyOutputTests {
    static let coin: Int64 = 100_000_000
    static let chain = KeyOutputChain()

    @Test func theGenesisCoinbaseIsFoundUnderTheAddressExplorersShow() throws {
        let store = try ChainStore(path: ":memory:", network: .mainnet)
        let genesis = BitcoinNetwork.mainnet.genesisBlock
        #expect(genesis.hash.hex == "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f")
        try store.append([genesis], firstHeight: 0)
        let history = try #require(try store.addressHistory("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"))
        #expect(history.balance == 50 * Self.coin)
        #expect(history.entries.map(\.txid) == [genesis.transactions[0].txid])
        #expect(try store.transaction(genesis.transactions[0].txid)?.outputs.first?.address
                == "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
    }

    @Test func payToPubkeyAndMultisigOutputsAreListedUnderEveryKey() throws {
        let store = try ChainStore(path: ":memory:", network: .regtest)
        try store.append(Self.chain.blocks, firstHeight: 0)
        let a = try #require(try store.addressHistory(KeyOutputChain.address(KeyOutputChain.keyA)))
        // 103 coinbases paying key A, the change to its P2PKH address and the shared multisig output.
        #expect(a.outputs == 105 && a.sharedOutputs == 1)
        #expect(a.received == 103 * 50 * Self.coin + 9 * Self.coin + 30 * Self.coin)
        #expect(a.sent == 50 * Self.coin + 30 * Self.coin)
        #expect(a.balance == 102 * 50 * Self.coin + 9 * Self.coin)
        let payment = try #require(a.entries.first { $0.txid == Self.chain.payment.txid })
        #expect(payment.received == 39 * Self.coin && payment.sent == 50 * Self.coin && payment.height == 102)

        let b = try #require(try store.addressHistory(KeyOutputChain.address(KeyOutputChain.keyB)))
        #expect(b.entries.map(\.txid) == [Self.chain.payment.txid, Self.chain.spend.txid])
        #expect(b.received == 40 * Self.coin && b.sent == 30 * Self.coin && b.balance == 10 * Self.coin)
        #expect(b.sharedOutputs == 1 && b.unspentOutputs == 1)

        let genesisKey = Script.publicKeys(BitcoinNetwork.genesisCoinbase.outputs[0].scriptPubKey)[0]
        #expect(try store.addressHistory(KeyOutputChain.address(genesisKey))?.balance == 50 * Self.coin)
        let flow = try #require(try store.flows(heights: 102...102).first { $0.txid == Self.chain.payment.txid })
        #expect(flow.inputs.map(\.address) == [KeyOutputChain.address(KeyOutputChain.keyA)],
                "spending a pay-to-pubkey output is spending from its key's address")
    }

    @Test func rollbackRemovesTheKeyListingsWithTheirOutputs() throws {
        let store = try ChainStore(path: ":memory:", network: .regtest)
        try store.append(Self.chain.blocks, firstHeight: 0)
        try store.rollback(toHeight: 101)
        #expect(try store.addressHistory(KeyOutputChain.address(KeyOutputChain.keyB)) == nil)
        #expect(try store.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM output_key") } == 0)
        let fresh = try ChainStore(path: ":memory:", network: .regtest)
        try fresh.append(Array(Self.chain.blocks.prefix(102)), firstHeight: 0)
        #expect(try ChainStoreTests.dump(store) == (try ChainStoreTests.dump(fresh)))
    }

    /// A store written before outputs were listed under keys gains the listings when it is opened.
    @Test func openingAnOlderStoreListsItsKeyOutputs() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("old.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try ChainSchema.migrator().migrate(queue, upTo: "v2-analysis-state")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('network', 'regtest')")
                try db.execute(sql: "CREATE TABLE output_key (tx_id INTEGER, n INTEGER, address_id INTEGER)")
                var summary = AppendSummary()
                var writer = BlockWriter(db: db, network: .regtest)
                for (height, block) in Self.chain.blocks.enumerated() {
                    try writer.write(block, height: height, summary: &summary)
                }
                // What the older writer stored: no address for key outputs, nor for the inputs spending them.
                try db.execute(sql: """
                    UPDATE input SET address_id = NULL WHERE address_id IN
                        (SELECT address_id FROM output WHERE kind = 'p2pk');
                    UPDATE output SET address_id = NULL WHERE kind IN ('p2pk', 'multisig');
                    DROP TABLE output_key;
                    DELETE FROM address WHERE id NOT IN (SELECT address_id FROM output WHERE address_id IS NOT NULL);
                    INSERT INTO analysis_state(key, value) VALUES ('address-features', x'00');
                    """)
            }
        }
        let store = try ChainStore(path: path, network: .regtest)
        let fresh = try ChainStore(path: ":memory:", network: .regtest)
        try fresh.append(Self.chain.blocks, firstHeight: 0)
        #expect(try ChainStoreTests.dump(store) == (try ChainStoreTests.dump(fresh)))
        #expect(try store.addressHistory(KeyOutputChain.address(KeyOutputChain.keyB))
                == (try fresh.addressHistory(KeyOutputChain.address(KeyOutputChain.keyB))))
        #expect(try store.analysisState("address-features") == nil, "the feature index is rebuilt")
    }
}
