import BitcoinData
import Foundation
import GRDB

/// Writes one block's rows inside an open write transaction, resolving each input to the output it spends.
struct BlockWriter {
    let db: Database
    let network: BitcoinNetwork
    private var addressIds: [String: Int64] = [:]

    init(db: Database, network: BitcoinNetwork) {
        self.db = db
        self.network = network
    }

    private mutating func addressId(for destination: Destination) throws -> Int64 {
        let text = destination.address(on: network)
        if let id = addressIds[text] { return id }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO address(address, kind) VALUES (?, ?)
            ON CONFLICT(address) DO UPDATE SET kind = excluded.kind RETURNING id
            """)
        guard let id = try Int64.fetchOne(statement, arguments: [text, destination.kind.rawValue]) else {
            fatalError("INSERT ... RETURNING gave no row")
        }
        if addressIds.count > 100_000 { addressIds.removeAll(keepingCapacity: true) }
        addressIds[text] = id
        return id
    }

    /// Lists output `n` of transaction `txId` under its keys' addresses (bare multisig: a row in `output_key` per
    /// key) and returns the id of its owner's address, if it has one (see ``OutputListing``), and whether it is
    /// listed under no address at all.
    mutating func list(txId: Int64, n: Int, script: [UInt8]) throws -> (owner: Int64?, isUnlisted: Bool) {
        let listing = OutputListing(scriptPubKey: script)
        if !listing.keys.isEmpty {
            let insertKey = try db.cachedStatement(sql: "INSERT INTO output_key(tx_id, n, address_id) VALUES (?, ?, ?)")
            for key in listing.keys { try insertKey.execute(arguments: [txId, n, try addressId(for: key)]) }
        }
        return (try listing.owner.map { try addressId(for: $0) }, listing.isUnlisted)
    }

    mutating func write(_ block: Block, height: Int, summary: inout AppendSummary) throws {
        let header = block.header
        try db.cachedStatement(sql: """
            INSERT INTO block(height, hash, previous_hash, version, time, bits, nonce, tx_count, size)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [height, Data(block.hash.bytes), Data(header.previousBlockHash.bytes),
                                     Int(header.version), Int(header.time), Int(header.bits), Int(header.nonce),
                                     block.transactions.count, block.size])
        let insertTx = try db.cachedStatement(sql: """
            INSERT INTO tx(txid, block_height, position, version, lock_time, size, weight, is_coinbase, input_value,
                           output_value, fee)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertOutput = try db.cachedStatement(sql: """
            INSERT INTO output(tx_id, n, value, script, kind, address_id) VALUES (?, ?, ?, ?, ?, ?)
            """)
        let insertInput = try db.cachedStatement(sql: """
            INSERT INTO input(tx_id, n, prev_txid, prev_n, prev_tx_id, value, address_id, script_sig, sequence, witness)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let findSpent = try db.cachedStatement(sql: """
            SELECT o.tx_id, o.value, o.address_id FROM tx t JOIN output o ON o.tx_id = t.id AND o.n = ?
            WHERE t.txid = ? ORDER BY t.id DESC LIMIT 1
            """)
        let markSpent = try db.cachedStatement(sql: """
            UPDATE output SET spent_by_tx_id = ?, spent_by_n = ? WHERE tx_id = ? AND n = ?
            """)
        let setFee = try db.cachedStatement(sql: "UPDATE tx SET input_value = ?, fee = ? WHERE id = ?")

        for (position, parsed) in block.transactions.enumerated() {
            let transaction = parsed.transaction
            let outputValue = transaction.outputs.reduce(Int64(0)) { $0 + $1.value }
            let weight = 3 * parsed.strippedSize + parsed.size
            try insertTx.execute(arguments: [Data(parsed.txid.bytes), height, position, Int(transaction.version),
                                             Int(transaction.lockTime), parsed.size, weight,
                                             transaction.isCoinbase, nil, outputValue, nil])
            let txId = db.lastInsertedRowID
            summary.transactions += 1
            var inputValue: Int64? = transaction.isCoinbase ? nil : 0
            for (n, input) in transaction.inputs.enumerated() {
                var spentTx: Int64?, value: Int64?, addressId: Int64?
                if !transaction.isCoinbase {
                    if let row = try Row.fetchOne(findSpent, arguments: [Int(input.previousOutput.index),
                                                                         Data(input.previousOutput.txid.bytes)]) {
                        spentTx = row[0]
                        value = row[1]
                        addressId = row[2]
                        try markSpent.execute(arguments: [txId, n, spentTx, Int(input.previousOutput.index)])
                    } else {
                        summary.unresolvedInputs += 1
                    }
                }
                if let value, let sum = inputValue { inputValue = sum + value } else { inputValue = nil }
                try insertInput.execute(arguments: [
                    txId, n, Data(input.previousOutput.txid.bytes), Int(input.previousOutput.index), spentTx, value,
                    addressId, Data(input.scriptSig), Int(input.sequence),
                    input.witness.isEmpty ? nil : Data(Self.serializeWitness(input.witness)),
                ])
                summary.inputs += 1
            }
            if let inputValue, !transaction.isCoinbase {
                try setFee.execute(arguments: [inputValue, inputValue - outputValue, txId])
            }
            for (n, output) in transaction.outputs.enumerated() {
                let (addressId, isUnlisted) = try list(txId: txId, n: n, script: output.scriptPubKey)
                if isUnlisted { summary.outputsWithoutAddress += 1 }
                try insertOutput.execute(arguments: [txId, n, output.value, Data(output.scriptPubKey),
                                                     Script.kind(of: output.scriptPubKey).rawValue, addressId])
                summary.outputs += 1
            }
        }
        summary.blocks += 1
    }

    static func serializeWitness(_ items: [[UInt8]]) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeCompactSize(items.count)
        for item in items { writer.writeVarBytes(item) }
        return writer.bytes
    }
}
