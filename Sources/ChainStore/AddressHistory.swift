import BitcoinData
import Foundation

/// What the store holds for one address: every transaction that paid an output listed under it or spent one, and
/// its balance.
///
/// An output is listed under its owner's address and, for bare multisig, under each key's address
/// (``OutputListing``). Like block explorers, every address a multisig output is listed under counts its whole value
/// (received, and balance while unspent): the balances of several addresses can then hold the same coins, so they
/// are not to be summed. ``sharedOutputs`` says how many such outputs an address has.
public struct AddressHistory: Sendable, Equatable {
    /// One transaction touching the address.
    public struct Entry: Sendable, Equatable {
        public var txid: Hash256
        public var height: Int
        /// Block time, seconds since 1970.
        public var time: Int
        /// Value of the outputs listed under the address that the transaction created, in satoshis.
        public var received: Int64
        /// Value of the outputs listed under the address that the transaction spent, in satoshis.
        public var sent: Int64

        public init(txid: Hash256, height: Int, time: Int, received: Int64, sent: Int64) {
            self.txid = txid
            self.height = height
            self.time = time
            self.received = received
            self.sent = sent
        }
    }

    /// One stored output listed under the address, with the transactions that created and spent it.
    public struct ListedOutput: Sendable {
        public var value: Int64
        /// Whether the output is listed under other keys too (bare multisig).
        public var isShared: Bool
        public var created: (txid: Hash256, height: Int, position: Int, time: Int)
        public var spent: (txid: Hash256, height: Int, position: Int, time: Int)?

        public init(value: Int64, isShared: Bool, created: (txid: Hash256, height: Int, position: Int, time: Int),
                    spent: (txid: Hash256, height: Int, position: Int, time: Int)?) {
            self.value = value
            self.isShared = isShared
            self.created = created
            self.spent = spent
        }
    }

    /// The address.
    public var address: String
    /// Transactions in chain order.
    public var entries: [Entry]
    /// Total received and sent, in satoshis.
    public var received: Int64
    public var sent: Int64
    /// Value of the unspent outputs listed under the address, in satoshis.
    public var balance: Int64
    /// Outputs listed under the address, and how many of them are unspent.
    public var outputs: Int
    public var unspentOutputs: Int
    /// Outputs listed under other keys' addresses too (bare multisig).
    public var sharedOutputs: Int

    /// Gathers the history from the outputs listed under `address`.
    public init(address: String, outputs listed: [ListedOutput]) {
        self.address = address
        var entries = [Hash256: (order: (Int, Int), entry: Entry)]()
        func add(_ side: (txid: Hash256, height: Int, position: Int, time: Int), received: Int64, sent: Int64) {
            var item = entries[side.txid]
                ?? ((side.height, side.position), Entry(txid: side.txid, height: side.height, time: side.time,
                                                        received: 0, sent: 0))
            item.entry.received += received
            item.entry.sent += sent
            entries[side.txid] = item
        }
        for output in listed {
            add(output.created, received: output.value, sent: 0)
            if let spent = output.spent { add(spent, received: 0, sent: output.value) }
        }
        self.entries = entries.values.sorted { $0.order < $1.order }.map(\.entry)
        received = listed.reduce(0) { $0 + $1.value }
        sent = listed.reduce(0) { $0 + ($1.spent == nil ? 0 : $1.value) }
        balance = received - sent
        outputs = listed.count
        unspentOutputs = listed.filter { $0.spent == nil }.count
        sharedOutputs = listed.filter(\.isShared).count
    }

    /// The query both stores run for the outputs listed under the address with id `addressId`: columns value,
    /// shared (0 or 1), then txid, height, position and time of the creating and (or NULLs) the spending
    /// transaction.
    public static func listedOutputsSQL(addressId: Int64) -> String {
        """
        WITH listed(tx_id, n, shared) AS (
            SELECT tx_id, n, 0 FROM output WHERE address_id = \(addressId)
            UNION ALL SELECT tx_id, n, 1 FROM output_key WHERE address_id = \(addressId))
        SELECT o.value, l.shared, t.txid, t.block_height, t.position, b.time,
               s.txid, s.block_height, s.position, sb.time
        FROM listed l JOIN output o ON o.tx_id = l.tx_id AND o.n = l.n
        JOIN tx t ON t.id = o.tx_id JOIN block b ON b.height = t.block_height
        LEFT JOIN tx s ON s.id = o.spent_by_tx_id LEFT JOIN block sb ON sb.height = s.block_height
        """
    }
}
