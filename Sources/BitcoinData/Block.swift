/// A block: header and transactions, decoded from its wire serialisation.
public struct Block: Sendable {
    /// The header.
    public var header: BlockHeader
    /// The transactions with the ids computed while decoding.
    public var transactions: [ParsedTransaction]
    /// The block hash.
    public var hash: Hash256
    /// Size of the serialised block in bytes.
    public var size: Int

    /// Prefix of the coinbase output that carries the witness commitment (BIP-141): OP_RETURN, push 36, 0xaa21a9ed.
    public static let witnessCommitmentPrefix: [UInt8] = [0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed]

    /// Decodes a block from its wire serialisation (no network magic or length prefix).
    ///
    /// - Throws: ``BitcoinDataError`` with the byte offset of the problem and the index of the transaction being
    ///   read; trailing bytes after the last transaction are an error.
    public init(bytes: [UInt8]) throws(BitcoinDataError) {
        var reader = ByteReader(bytes)
        try self.init(from: &reader)
        guard reader.isAtEnd else {
            throw BitcoinDataError(.malformed, "\(reader.remaining) bytes after the last transaction",
                                   offset: reader.offset)
        }
    }

    /// Decodes a block at the reader's position.
    public init(from reader: inout ByteReader) throws(BitcoinDataError) {
        let start = reader.offset
        header = try BlockHeader(from: &reader)
        hash = Hashing.hash256(reader.bytes[start..<start + BlockHeader.size])
        let count = try reader.readCount("transaction count", minimumItemSize: 60)
        var transactions = [ParsedTransaction]()
        transactions.reserveCapacity(count)
        for index in 0..<count {
            do {
                transactions.append(try ParsedTransaction(from: &reader))
            } catch {
                throw error.within("transaction \(index)")
            }
        }
        self.transactions = transactions
        size = reader.offset - start
    }

    /// Creates a block from its parts (for assembling blocks); the hash is computed from the header.
    public init(header: BlockHeader, transactions: [Transaction]) {
        self.header = header
        self.transactions = transactions.map { transaction in
            let full = transaction.serialized()
            let stripped = transaction.serialized(includingWitness: false)
            return ParsedTransaction(transaction: transaction, txid: Hashing.hash256(stripped),
                                     wtxid: Hashing.hash256(full), size: full.count, strippedSize: stripped.count)
        }
        hash = header.hash
        size = BlockHeader.size + ByteWriter.compactSizeLength(transactions.count)
            + self.transactions.reduce(0) { $0 + $1.size }
    }

    /// The wire serialisation.
    public var serialized: [UInt8] {
        var writer = ByteWriter(capacity: size)
        writer.write(bytes: header.serialized)
        writer.writeCompactSize(transactions.count)
        for transaction in transactions { writer.write(bytes: transaction.transaction.serialized()) }
        return writer.bytes
    }

    /// The merkle root computed from the transaction ids.
    public var computedMerkleRoot: Hash256 { MerkleTree.root(transactions.map(\.txid)) }

    /// The witness commitment in the coinbase (the last output with the BIP-141 prefix), if any.
    public var witnessCommitment: Hash256? {
        guard let coinbase = transactions.first?.transaction else { return nil }
        for output in coinbase.outputs.reversed()
        where output.scriptPubKey.count >= 38 && output.scriptPubKey.starts(with: Self.witnessCommitmentPrefix) {
            return Hash256(Array(output.scriptPubKey[6..<38]))
        }
        return nil
    }

    /// The commitment computed from the wtxids (the coinbase's counted as zero) and the coinbase's witness reserved
    /// value; nil when the coinbase has no 32-byte witness reserved value.
    public var computedWitnessCommitment: Hash256? {
        guard let coinbase = transactions.first?.transaction, let reserved = coinbase.inputs.first?.witness,
              reserved.count == 1, reserved[0].count == 32 else { return nil }
        let root = MerkleTree.root([.zero] + transactions.dropFirst().map(\.wtxid))
        return Hashing.hash256(root.bytes + reserved[0])
    }
}

extension ByteWriter {
    /// Number of bytes a CompactSize for `value` takes.
    public static func compactSizeLength(_ value: Int) -> Int {
        switch value {
        case ..<0xfd: 1
        case ...0xffff: 3
        case ...0xffff_ffff: 5
        default: 9
        }
    }
}

extension ParsedTransaction {
    /// Wraps an already-decoded transaction with precomputed ids.
    public init(transaction: Transaction, txid: Hash256, wtxid: Hash256, size: Int, strippedSize: Int) {
        self.transaction = transaction
        self.txid = txid
        self.wtxid = wtxid
        self.size = size
        self.strippedSize = strippedSize
    }
}
