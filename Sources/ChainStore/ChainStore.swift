import BitcoinData
import Foundation
import GRDB

/// The transaction store: blocks, transactions, outputs, inputs resolved to the outputs they spend, and addresses,
/// in SQLite through GRDB.
///
/// Blocks are appended in height order on top of the stored tip; ``rollback(toHeight:)`` removes blocks above a
/// height (a reorg) and marks the outputs they spent unspent again.
public final class ChainStore: Sendable {
    /// The database.
    public let database: any DatabaseWriter
    /// The network whose chain is stored.
    public let network: BitcoinNetwork

    /// Opens (creating if needed) a store at `path`; ":memory:" gives an in-memory store.
    ///
    /// - Throws: ``ChainStoreError`` with `.wrongNetwork` when the file holds another network's chain, or GRDB's
    ///   error when the file cannot be opened.
    public init(path: String, network: BitcoinNetwork) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        if path == ":memory:" {
            database = try DatabaseQueue(configuration: configuration)
        } else {
            // A new store is made 0600 before SQLite opens it (its -wal and -shm files take the main file's mode):
            // it holds the watchlist and the classifications, for the sidecar's user alone.
            if !FileManager.default.fileExists(atPath: path) {
                FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            database = try DatabasePool(path: path, configuration: configuration)
        }
        self.network = network
        try ChainSchema.migrator().migrate(database)
        try database.write { db in
            if let stored = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'network'") {
                guard stored == network.rawValue else {
                    throw ChainStoreError(.wrongNetwork,
                                          "\(path) holds the \(stored) chain, not \(network); use another --db")
                }
            } else {
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('network', ?)", arguments: [network.rawValue])
            }
        }
    }

    /// The stored tip: highest height and its hash; nil when empty.
    public func tip() throws -> (height: Int, hash: Hash256)? {
        try database.read(Self.tip)
    }

    private static func tip(_ db: Database) throws -> (height: Int, hash: Hash256)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT height, hash FROM block ORDER BY height DESC LIMIT 1")
        else { return nil }
        return (row["height"], Hash256([UInt8](row["hash"] as Data)))
    }

    /// The hash of the stored block at `height`, if any.
    public func blockHash(at height: Int) throws -> Hash256? {
        try database.read { db in
            try Data.fetchOne(db, sql: "SELECT hash FROM block WHERE height = ?", arguments: [height])
                .map { Hash256([UInt8]($0)) }
        }
    }

    /// Appends blocks in one database transaction. The first must extend the tip (any parent when the store is
    /// empty) at `firstHeight`; each next one the previous.
    ///
    /// - Throws: ``ChainStoreError`` `.notOnTip` when a block does not extend the chain; nothing is written then.
    @discardableResult
    public func append(_ blocks: [Block], firstHeight: Int) throws -> AppendSummary {
        try database.write { db in
            var summary = AppendSummary()
            var expected = try Row.fetchOne(db, sql: "SELECT height, hash FROM block ORDER BY height DESC LIMIT 1")
                .map { (height: $0["height"] as Int, hash: Hash256([UInt8]($0["hash"] as Data))) }
            var writer = BlockWriter(db: db, network: network)
            for (offset, block) in blocks.enumerated() {
                let height = firstHeight + offset
                if let tip = expected {
                    guard height == tip.height + 1, block.header.previousBlockHash == tip.hash else {
                        throw ChainStoreError(.notOnTip, "block \(block.hash) at height \(height) does not extend the "
                                              + "stored tip \(tip.hash) at height \(tip.height)")
                    }
                }
                try writer.write(block, height: height, summary: &summary)
                expected = (height, block.hash)
            }
            return summary
        }
    }

    /// Removes every block above `height` with its transactions; outputs they spent become unspent again and
    /// addresses seen only in them are removed. Returns the number of blocks removed.
    @discardableResult
    public func rollback(toHeight height: Int) throws -> Int {
        try database.write { db in
            let above = "SELECT id FROM tx WHERE block_height > ?"
            let touched = try Int64.fetchAll(db, sql: """
                SELECT address_id FROM output WHERE address_id IS NOT NULL AND tx_id IN (\(above))
                UNION SELECT address_id FROM output_key WHERE tx_id IN (\(above))
                """, arguments: [height, height])
            try db.execute(sql: "UPDATE output SET spent_by_tx_id = NULL, spent_by_n = NULL "
                           + "WHERE spent_by_tx_id IN (\(above))", arguments: [height])
            try db.execute(sql: "DELETE FROM input WHERE tx_id IN (\(above))", arguments: [height])
            try db.execute(sql: "DELETE FROM output_key WHERE tx_id IN (\(above))", arguments: [height])
            try db.execute(sql: "DELETE FROM output WHERE tx_id IN (\(above))", arguments: [height])
            try db.execute(sql: "DELETE FROM tx WHERE block_height > ?", arguments: [height])
            for id in touched {
                try db.execute(sql: "DELETE FROM address WHERE id = ? AND NOT EXISTS "
                               + "(SELECT 1 FROM output WHERE address_id = ?) AND NOT EXISTS "
                               + "(SELECT 1 FROM output_key WHERE address_id = ?)", arguments: [id, id, id])
            }
            try db.execute(sql: "DELETE FROM block WHERE height > ?", arguments: [height])
            return db.changesCount
        }
    }

    /// Row counts of the main tables.
    public func counts() throws -> StoreCounts {
        try database.read(Self.counts)
    }

    /// The tip and the row counts in one read transaction: a batch committed meanwhile is in both or in neither.
    public func tipAndCounts() throws -> (tip: (height: Int, hash: Hash256)?, counts: StoreCounts) {
        try database.read { db in (try Self.tip(db), try Self.counts(db)) }
    }

    private static func counts(_ db: Database) throws -> StoreCounts {
        func count(_ table: String) throws -> Int {
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
        }
        return StoreCounts(blocks: try count("block"), transactions: try count("tx"),
                           outputs: try count("output"), inputs: try count("input"),
                           addresses: try count("address"),
                           unresolvedInputs: try Int.fetchOne(db, sql: """
                               SELECT COUNT(*) FROM input i JOIN tx t ON t.id = i.tx_id
                               WHERE NOT t.is_coinbase AND i.prev_tx_id IS NULL
                               """) ?? 0)
    }

    /// A stored transaction with its inputs resolved to the outputs they spend.
    public func transaction(_ txid: Hash256) throws -> StoredTransaction? {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT t.id, t.block_height, t.position, t.is_coinbase, t.fee, b.time FROM tx t
                JOIN block b ON b.height = t.block_height WHERE t.txid = ? ORDER BY t.id DESC LIMIT 1
                """, arguments: [Data(txid.bytes)]) else { return nil }
            let id: Int64 = row["id"]
            let inputs = try Row.fetchAll(db, sql: """
                SELECT i.prev_txid, i.prev_n, i.value, a.address FROM input i LEFT JOIN address a ON a.id = i.address_id
                WHERE i.tx_id = ? ORDER BY i.n
                """, arguments: [id]).map { input in
                StoredInput(previousOutput: OutPoint(txid: Hash256([UInt8](input["prev_txid"] as Data)),
                                                     index: UInt32(input["prev_n"] as Int64)),
                            value: input["value"], address: input["address"])
            }
            let outputs = try Row.fetchAll(db, sql: """
                SELECT o.value, o.kind, o.script, a.address, s.txid AS spent_by FROM output o
                LEFT JOIN address a ON a.id = o.address_id LEFT JOIN tx s ON s.id = o.spent_by_tx_id
                WHERE o.tx_id = ? ORDER BY o.n
                """, arguments: [id]).map { output in
                StoredOutput(value: output["value"], kind: ScriptKind(rawValue: output["kind"]) ?? .nonStandard,
                             script: [UInt8](output["script"] as Data), address: output["address"],
                             spentBy: (output["spent_by"] as Data?).map { Hash256([UInt8]($0)) })
            }
            return StoredTransaction(txid: txid, height: row["block_height"], position: row["position"],
                                     time: row["time"], isCoinbase: row["is_coinbase"], fee: row["fee"],
                                     inputs: inputs, outputs: outputs)
        }
    }
}

/// What an append wrote.
public struct AppendSummary: Sendable, Equatable, Codable {
    /// Blocks written.
    public var blocks = 0
    /// Transactions written.
    public var transactions = 0
    /// Outputs written.
    public var outputs = 0
    /// Inputs written (coinbase inputs included).
    public var inputs = 0
    /// Non-coinbase inputs whose spent output is not in the store (the store starts after it).
    public var unresolvedInputs = 0
    /// Outputs whose script has no address (non-standard, bare multisig, P2PK, OP_RETURN): stored raw.
    public var outputsWithoutAddress = 0

    /// An empty summary.
    public init() {}

    /// Adds another summary's counts.
    public mutating func add(_ other: AppendSummary) {
        blocks += other.blocks
        transactions += other.transactions
        outputs += other.outputs
        inputs += other.inputs
        unresolvedInputs += other.unresolvedInputs
        outputsWithoutAddress += other.outputsWithoutAddress
    }
}

/// Row counts of the store.
public struct StoreCounts: Sendable, Equatable, Codable {
    public var blocks: Int
    public var transactions: Int
    public var outputs: Int
    public var inputs: Int
    public var addresses: Int
    /// Non-coinbase inputs whose spent output is not stored.
    public var unresolvedInputs: Int

    /// Creates counts.
    public init(blocks: Int, transactions: Int, outputs: Int, inputs: Int, addresses: Int, unresolvedInputs: Int) {
        self.blocks = blocks
        self.transactions = transactions
        self.outputs = outputs
        self.inputs = inputs
        self.addresses = addresses
        self.unresolvedInputs = unresolvedInputs
    }
}

/// A stored transaction.
public struct StoredTransaction: Sendable {
    public var txid: Hash256
    public var height: Int
    public var position: Int
    public var time: Int
    public var isCoinbase: Bool
    /// Fee in satoshis, when every input is resolved.
    public var fee: Int64?
    public var inputs: [StoredInput]
    public var outputs: [StoredOutput]
}

/// A stored input and what it spends (value and address are nil when the spent output is not stored).
public struct StoredInput: Sendable {
    public var previousOutput: OutPoint
    public var value: Int64?
    public var address: String?
}

/// A stored output.
public struct StoredOutput: Sendable {
    public var value: Int64
    public var kind: ScriptKind
    /// The raw script, kept for every output, standard or not.
    public var script: [UInt8]
    public var address: String?
    /// The transaction spending it, if stored.
    public var spentBy: Hash256?
}

extension ChainStore {
    /// The lowest stored height, nil when empty.
    public func lowestHeight() throws -> Int? {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT MIN(height) FROM block") }
    }
}
