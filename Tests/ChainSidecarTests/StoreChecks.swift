import BitcoinData
import ChainStore
import Foundation
import GRDB
import Testing

/// Checks of a store a daemon wrote against the chain it was served (the kill and load tests).
enum StoreChecks {
    /// Checks that the store at `path` holds blocks 0 to its tip of one of `chains`, each block's transactions,
    /// outputs and inputs once and all resolved, and nothing above its tip; returns the tip height.
    @discardableResult
    static func expectConsistentPrefix(_ path: String, of chains: [[Block]]) throws -> Int? {
        let store = try ChainStore(path: path, network: .regtest)
        let stored = try store.database.read { db in
            try Row.fetchAll(db, sql: "SELECT height, hash, tx_count FROM block ORDER BY height").map {
                (height: $0["height"] as Int, hash: Hash256([UInt8]($0["hash"] as Data)),
                 transactions: $0["tx_count"] as Int)
            }
        }
        guard let tip = stored.last?.height else { return nil }
        #expect(stored.map(\.height) == Array(0...tip), "heights 0 to the tip, each once")
        let chain = chains.first { $0.count > tip && $0[0...tip].map(\.hash) == stored.map(\.hash) }
        guard let chain else {
            Issue.record("the stored blocks 0–\(tip) are no prefix of a served chain")
            return tip
        }
        let prefix = chain[0...tip]
        let transactions = prefix.flatMap(\.transactions)
        let counts = try store.counts()
        #expect(counts.blocks == tip + 1)
        #expect(counts.transactions == transactions.count, "each transaction stored once, at tip \(tip)")
        #expect(counts.outputs == transactions.reduce(0) { $0 + $1.transaction.outputs.count })
        #expect(counts.inputs == transactions.reduce(0) { $0 + $1.transaction.inputs.count })
        #expect(counts.unresolvedInputs == 0)
        #expect(stored.map(\.transactions) == prefix.map(\.transactions.count))
        return tip
    }

    /// Checks the store against one that stored `chain` without interruption: heights and hashes, transactions per
    /// block, and every address's history.
    static func expectSameAsUninterrupted(_ path: String, chain: [Block]) async throws {
        try expectConsistentPrefix(path, of: [chain])
        let store = try ChainStore(path: path, network: .regtest)
        let reference = try ChainStore(path: ":memory:", network: .regtest)
        try reference.append(chain, firstHeight: 0)
        #expect(try store.counts() == (try reference.counts()))
        let addresses = try Self.addresses(reference)
        #expect(try Self.addresses(store) == addresses)
        var differing = [String]()
        for address in addresses
        where try await store.addressHistory(address) != (try await reference.addressHistory(address)) {
            differing.append(address)
        }
        #expect(differing.isEmpty, "address histories differ from an uninterrupted run: \(differing.prefix(5))")
    }

    /// Every stored address, sorted.
    static func addresses(_ store: ChainStore) throws -> [String] {
        try store.database.read { db in try String.fetchAll(db, sql: "SELECT address FROM address ORDER BY address") }
    }

    /// Every stored address, in order of first appearance.
    static func addressesInOrder(_ store: ChainStore) throws -> [String] {
        try store.database.read { db in try String.fetchAll(db, sql: "SELECT address FROM address ORDER BY id") }
    }
}
