import BitcoinData
import ChainTestSupport
import Foundation
import GRDB
import Testing
@testable import ChainStore

@Suite("Chain store")
struct ChainStoreTests {
    static func chain(blocks: Int, transactions: Int = 3) -> SyntheticChain {
        var chain = SyntheticChain()
        for _ in 0..<blocks { chain.extend(transactions: transactions) }
        return chain
    }

    /// Every row of the store in a form independent of row ids, to compare two stores.
    static func dump(_ store: ChainStore) throws -> [String] {
        try store.database.read { db in
            try String.fetchAll(db, sql: """
                SELECT 'block ' || height || ' ' || hex(hash) FROM block
                UNION ALL
                SELECT 'tx ' || hex(t.txid) || ' ' || t.block_height || ' ' || ifnull(t.fee, '-') FROM tx t
                UNION ALL
                SELECT 'out ' || hex(t.txid) || ':' || o.n || ' ' || o.value || ' ' || o.kind || ' '
                    || ifnull(a.address, '-') || ' spent by ' || ifnull(hex(s.txid), '-')
                FROM output o JOIN tx t ON t.id = o.tx_id LEFT JOIN address a ON a.id = o.address_id
                LEFT JOIN tx s ON s.id = o.spent_by_tx_id
                UNION ALL
                SELECT 'in ' || hex(t.txid) || ':' || i.n || ' ' || ifnull(i.value, '-') || ' '
                    || ifnull(a.address, '-') FROM input i JOIN tx t ON t.id = i.tx_id
                LEFT JOIN address a ON a.id = i.address_id
                UNION ALL
                SELECT 'addr ' || address || ' ' || kind FROM address
                ORDER BY 1
                """)
        }
    }

    @Test func appendResolvesEveryInputAndKeepsNonStandardScripts() throws {
        let chain = Self.chain(blocks: 12)
        let store = try ChainStore(path: ":memory:", network: .regtest)
        let summary = try store.append(chain.blocks, firstHeight: 0)
        let transactions = chain.blocks.flatMap(\.transactions)
        #expect(summary.blocks == 12)
        #expect(summary.transactions == transactions.count)
        #expect(summary.unresolvedInputs == 0)
        let counts = try store.counts()
        #expect(counts.transactions == transactions.count)
        #expect(counts.outputs == transactions.reduce(0) { $0 + $1.transaction.outputs.count })
        #expect(counts.unresolvedInputs == 0)
        #expect(try store.tip()?.height == 11)
        #expect(try store.tip()?.hash == chain.blocks.last?.hash)

        let spend = try #require(transactions.first { !$0.transaction.isCoinbase })
        let stored = try #require(try store.transaction(spend.txid))
        #expect(stored.fee == 1_000)
        let spent = spend.transaction.inputs[0].previousOutput
        let funding = try #require(try store.transaction(spent.txid))
        #expect(stored.inputs[0].value == funding.outputs[Int(spent.index)].value)
        #expect(stored.inputs[0].address == funding.outputs[Int(spent.index)].address)
        #expect(funding.outputs[Int(spent.index)].spentBy == spend.txid)

        let all = try transactions.map { try #require(try store.transaction($0.txid)) }
        let outputs = all.flatMap(\.outputs)
        let kinds = Set(outputs.map(\.kind))
        #expect(kinds.isSuperset(of: [.p2pkh, .p2sh, .p2wpkh, .p2wsh, .p2tr, .nullData, .nonStandard]))
        for output in outputs where output.kind == .nonStandard || output.kind == .nullData {
            #expect(output.address == nil)
            #expect(!output.script.isEmpty)
        }
        for output in outputs where output.kind == .p2tr {
            #expect(output.address?.hasPrefix("bcrt1p") == true)
        }
    }

    @Test func blockNotExtendingTheTipIsRefusedAndNothingIsWritten() throws {
        let chain = Self.chain(blocks: 4)
        let store = try ChainStore(path: ":memory:", network: .regtest)
        try store.append(Array(chain.blocks.prefix(2)), firstHeight: 0)
        let before = try Self.dump(store)
        #expect {
            try store.append([chain.blocks[3]], firstHeight: 2)
        } throws: { error in
            (error as? ChainStoreError)?.code == .notOnTip
        }
        #expect(try Self.dump(store) == before)
        #expect(throws: ChainStoreError.self) { try store.append([chain.blocks[2]], firstHeight: 5) }
    }

    @Test func rollbackThenCompetingBranchEqualsAFreshStoreOfThatBranch() throws {
        let original = Self.chain(blocks: 10)
        var branch = original.truncated(to: 6, seed: 7)
        for _ in 0..<5 { branch.extend(transactions: 4) }
        #expect(branch.blocks[6].hash != original.blocks[6].hash)

        let store = try ChainStore(path: ":memory:", network: .regtest)
        try store.append(original.blocks, firstHeight: 0)
        let removed = try store.rollback(toHeight: 5)
        #expect(removed == 4)
        #expect(try store.tip()?.height == 5)

        let prefixOnly = try ChainStore(path: ":memory:", network: .regtest)
        try prefixOnly.append(Array(original.blocks.prefix(6)), firstHeight: 0)
        #expect(try Self.dump(store) == (try Self.dump(prefixOnly)), "rollback restores the earlier state exactly")

        try store.append(Array(branch.blocks.dropFirst(6)), firstHeight: 6)
        let fresh = try ChainStore(path: ":memory:", network: .regtest)
        try fresh.append(branch.blocks, firstHeight: 0)
        #expect(try Self.dump(store) == (try Self.dump(fresh)))
    }

    @Test func storePersistsAndRefusesAnotherNetwork() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("chain.sqlite")
        do {
            let store = try ChainStore(path: path, network: .regtest)
            try store.append(Self.chain(blocks: 3).blocks, firstHeight: 0)
        }
        let reopened = try ChainStore(path: path, network: .regtest)
        #expect(try reopened.tip()?.height == 2)
        #expect {
            _ = try ChainStore(path: path, network: .mainnet)
        } throws: { error in
            (error as? ChainStoreError)?.code == .wrongNetwork && "\(error)".contains(path)
        }
    }

    @Test func storeStartingMidChainCountsUnresolvedInputs() throws {
        let chain = Self.chain(blocks: 8)
        let store = try ChainStore(path: ":memory:", network: .regtest)
        let summary = try store.append(Array(chain.blocks.dropFirst(4)), firstHeight: 4)
        #expect(summary.unresolvedInputs > 0)
        #expect(try store.counts().unresolvedInputs == summary.unresolvedInputs)
    }
}
