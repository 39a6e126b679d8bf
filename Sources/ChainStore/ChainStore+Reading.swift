import BitcoinData
import Foundation
import GRDB

/// A transaction as analysis reads it: block time, and per input and output the address (nil when none) and value.
public struct TransactionFlow: Sendable {
    /// The transaction id.
    public var txid: Hash256
    /// Height of its block.
    public var height: Int
    /// Its block's time (seconds since the epoch).
    public var time: Int
    /// Whether it is a coinbase.
    public var isCoinbase: Bool
    /// Spent outputs: address and value (nil when the spent output is not stored).
    public var inputs: [(address: String?, value: Int64?)]
    /// Outputs: address (nil for scripts without one) and value.
    public var outputs: [(address: String?, value: Int64)]

    /// Creates a flow.
    public init(txid: Hash256, height: Int, time: Int, isCoinbase: Bool, inputs: [(address: String?, value: Int64?)],
                outputs: [(address: String?, value: Int64)]) {
        self.txid = txid
        self.height = height
        self.time = time
        self.isCoinbase = isCoinbase
        self.inputs = inputs
        self.outputs = outputs
    }
}

extension ChainStore {
    /// The transactions of blocks `heights`, in chain order, with inputs resolved.
    public func flows(heights: ClosedRange<Int>) throws -> [TransactionFlow] {
        try database.read { db in
            var flows = [TransactionFlow]()
            var indexById = [Int64: Int]()
            let rows = try Row.fetchAll(db, sql: """
                SELECT t.id, t.txid, t.block_height, b.time, t.is_coinbase FROM tx t
                JOIN block b ON b.height = t.block_height
                WHERE t.block_height BETWEEN ? AND ? ORDER BY t.block_height, t.position
                """, arguments: [heights.lowerBound, heights.upperBound])
            for row in rows {
                indexById[row["id"]] = flows.count
                flows.append(TransactionFlow(txid: Hash256([UInt8](row["txid"] as Data)), height: row["block_height"],
                                             time: row["time"], isCoinbase: row["is_coinbase"], inputs: [],
                                             outputs: []))
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT i.tx_id, a.address, i.value FROM input i JOIN tx t ON t.id = i.tx_id
                LEFT JOIN address a ON a.id = i.address_id
                WHERE t.block_height BETWEEN ? AND ? AND NOT t.is_coinbase ORDER BY i.tx_id, i.n
                """, arguments: [heights.lowerBound, heights.upperBound]) {
                if let index = indexById[row["tx_id"]] { flows[index].inputs.append((row["address"], row["value"])) }
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT o.tx_id, a.address, o.value FROM output o JOIN tx t ON t.id = o.tx_id
                LEFT JOIN address a ON a.id = o.address_id
                WHERE t.block_height BETWEEN ? AND ? ORDER BY o.tx_id, o.n
                """, arguments: [heights.lowerBound, heights.upperBound]) {
                if let index = indexById[row["tx_id"]] { flows[index].outputs.append((row["address"], row["value"])) }
            }
            return flows
        }
    }

    /// Reads a value saved by an analysis component (see ``saveAnalysisState(_:value:)``).
    public func analysisState(_ key: String) throws -> Data? {
        try database.read { db in
            try Data.fetchOne(db, sql: "SELECT value FROM analysis_state WHERE key = ?", arguments: [key])
        }
    }

    /// Saves a value for an analysis component under `key`.
    public func saveAnalysisState(_ key: String, value: Data) throws {
        try database.write { db in
            try db.execute(sql: "INSERT INTO analysis_state(key, value) VALUES (?, ?) "
                           + "ON CONFLICT(key) DO UPDATE SET value = excluded.value", arguments: [key, value])
        }
    }
}

extension ChainStore {
    /// The history and balance of `address`; nil when no stored output is listed under it.
    public func addressHistory(_ address: String) throws -> AddressHistory? {
        try database.read { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM address WHERE address = ?",
                                              arguments: [address]) else { return nil }
            let outputs = try Row.fetchAll(db, sql: AddressHistory.listedOutputsSQL(addressId: id)).map { row in
                let spender: Data? = row[6]
                return AddressHistory.ListedOutput(
                    value: row[0], isShared: row[1] as Int == 1,
                    created: (Hash256([UInt8](row[2] as Data)), row[3], row[4], row[5]),
                    spent: spender.map { (Hash256([UInt8]($0)), row[7], row[8], row[9]) })
            }
            return outputs.isEmpty ? nil : AddressHistory(address: address, outputs: outputs)
        }
    }
}
