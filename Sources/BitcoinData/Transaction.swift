/// A reference to a transaction output: the transaction id and the output's index in it.
public struct OutPoint: Hashable, Sendable, CustomStringConvertible {
    /// The id of the transaction holding the output.
    public var txid: Hash256
    /// The output's position in that transaction.
    public var index: UInt32

    /// Creates an outpoint.
    public init(txid: Hash256, index: UInt32) {
        self.txid = txid
        self.index = index
    }

    /// The outpoint of a coinbase input, which spends nothing.
    public static let null = OutPoint(txid: .zero, index: .max)

    /// Whether this is the null outpoint of a coinbase input.
    public var isNull: Bool { self == .null }

    public var description: String { "\(txid.hex):\(index)" }
}

/// A transaction input: the output it spends, its unlocking script and (segwit) its witness stack.
public struct TransactionInput: Sendable, Equatable {
    /// The output being spent.
    public var previousOutput: OutPoint
    /// The unlocking script (scriptSig); for a coinbase, arbitrary data starting with the height (BIP-34).
    public var scriptSig: [UInt8]
    /// The sequence number (relative lock time, replace-by-fee signalling).
    public var sequence: UInt32
    /// The witness stack items (empty for a legacy input).
    public var witness: [[UInt8]]

    /// Creates an input.
    public init(previousOutput: OutPoint, scriptSig: [UInt8], sequence: UInt32 = 0xffff_ffff,
                witness: [[UInt8]] = []) {
        self.previousOutput = previousOutput
        self.scriptSig = scriptSig
        self.sequence = sequence
        self.witness = witness
    }
}

/// A transaction output: an amount and the script that locks it.
public struct TransactionOutput: Sendable, Equatable {
    /// The amount in satoshis.
    public var value: Int64
    /// The locking script.
    public var scriptPubKey: [UInt8]

    /// Creates an output.
    public init(value: Int64, scriptPubKey: [UInt8]) {
        self.value = value
        self.scriptPubKey = scriptPubKey
    }
}

/// A Bitcoin transaction, legacy or segwit (BIP-144 serialisation).
public struct Transaction: Sendable, Equatable {
    /// The transaction version.
    public var version: Int32
    /// The inputs.
    public var inputs: [TransactionInput]
    /// The outputs.
    public var outputs: [TransactionOutput]
    /// The lock time (block height or time before which it cannot be mined).
    public var lockTime: UInt32

    /// Creates a transaction.
    public init(version: Int32, inputs: [TransactionInput], outputs: [TransactionOutput], lockTime: UInt32) {
        self.version = version
        self.inputs = inputs
        self.outputs = outputs
        self.lockTime = lockTime
    }

    /// Whether any input carries witness data (then the transaction is serialised with marker and flag).
    public var hasWitness: Bool { inputs.contains { !$0.witness.isEmpty } }

    /// Whether this is a coinbase transaction (one input spending the null outpoint).
    public var isCoinbase: Bool { inputs.count == 1 && inputs[0].previousOutput.isNull }

    /// The serialisation, with witness data (BIP-144) when `includingWitness` and the transaction has any.
    public func serialized(includingWitness: Bool = true) -> [UInt8] {
        var writer = ByteWriter(capacity: 256)
        let withWitness = includingWitness && hasWitness
        writer.write(UInt32(bitPattern: version))
        if withWitness {
            writer.write(UInt8(0))
            writer.write(UInt8(1))
        }
        writer.writeCompactSize(inputs.count)
        for input in inputs {
            writer.write(input.previousOutput.txid)
            writer.write(input.previousOutput.index)
            writer.writeVarBytes(input.scriptSig)
            writer.write(input.sequence)
        }
        writer.writeCompactSize(outputs.count)
        for output in outputs {
            writer.write(UInt64(bitPattern: output.value))
            writer.writeVarBytes(output.scriptPubKey)
        }
        if withWitness {
            for input in inputs {
                writer.writeCompactSize(input.witness.count)
                for item in input.witness { writer.writeVarBytes(item) }
            }
        }
        writer.write(lockTime)
        return writer.bytes
    }

    /// The transaction id: double SHA-256 of the serialisation without witness data.
    public var txid: Hash256 { Hashing.hash256(serialized(includingWitness: false)) }

    /// The witness transaction id (BIP-141): double SHA-256 of the full serialisation; equals ``txid`` for a legacy
    /// transaction.
    public var wtxid: Hash256 { Hashing.hash256(serialized(includingWitness: true)) }

    /// Size in bytes of the full serialisation.
    public var size: Int { serialized().count }

    /// Weight (BIP-141): three times the size without witness plus the full size.
    public var weight: Int { 3 * serialized(includingWitness: false).count + serialized().count }
}

/// A transaction decoded from a buffer, with its ids computed from the bytes it was read from.
public struct ParsedTransaction: Sendable {
    /// The transaction.
    public var transaction: Transaction
    /// Its id (witness stripped).
    public var txid: Hash256
    /// Its witness id.
    public var wtxid: Hash256
    /// Size of its full serialisation in bytes.
    public var size: Int
    /// Size without witness data in bytes.
    public var strippedSize: Int

    /// Reads one transaction at the reader's position, accepting both legacy and segwit serialisations.
    ///
    /// The ids are hashed over the input bytes themselves (no re-serialisation), so what is hashed is exactly what
    /// was read.
    public init(from reader: inout ByteReader) throws(BitcoinDataError) {
        let start = reader.offset
        let version = Int32(bitPattern: try reader.readUInt32("transaction version"))
        var inputCount = try reader.readCount("input count", minimumItemSize: 41)
        var segwit = false
        var bodyStart = start + 4
        if inputCount == 0 {
            let flagOffset = reader.offset
            let flag = try reader.readUInt8("segwit flag")
            guard flag == 1 else {
                throw BitcoinDataError(.malformed, "segwit flag must be 1, found \(flag)", offset: flagOffset)
            }
            segwit = true
            bodyStart = reader.offset
            inputCount = try reader.readCount("input count", minimumItemSize: 41)
        }
        var inputs = [TransactionInput]()
        inputs.reserveCapacity(inputCount)
        for _ in 0..<inputCount {
            let txid = try reader.readHash("previous txid")
            let index = try reader.readUInt32("previous output index")
            let script = try reader.readVarBytes("scriptSig")
            let sequence = try reader.readUInt32("sequence")
            inputs.append(TransactionInput(previousOutput: OutPoint(txid: txid, index: index), scriptSig: script,
                                           sequence: sequence))
        }
        let outputCount = try reader.readCount("output count", minimumItemSize: 9)
        var outputs = [TransactionOutput]()
        outputs.reserveCapacity(outputCount)
        for _ in 0..<outputCount {
            let valueOffset = reader.offset
            let value = Int64(bitPattern: try reader.readUInt64("output value"))
            guard value >= 0, value <= 21_000_000 * 100_000_000 else {
                throw BitcoinDataError(.malformed, "output value \(value) out of range", offset: valueOffset)
            }
            outputs.append(TransactionOutput(value: value, scriptPubKey: try reader.readVarBytes("scriptPubKey")))
        }
        let bodyEnd = reader.offset
        if segwit {
            var anyWitness = false
            for index in inputs.indices {
                let itemCount = try reader.readCount("witness item count")
                var items = [[UInt8]]()
                items.reserveCapacity(itemCount)
                for _ in 0..<itemCount { items.append(try reader.readVarBytes("witness item")) }
                anyWitness = anyWitness || !items.isEmpty
                inputs[index].witness = items
            }
            guard anyWitness else {
                throw BitcoinDataError(.malformed, "segwit serialisation with no witness data", offset: bodyEnd)
            }
        }
        let lockTimeStart = reader.offset
        let lockTime = try reader.readUInt32("lock time")
        let end = reader.offset
        let bytes = reader.bytes
        transaction = Transaction(version: version, inputs: inputs, outputs: outputs, lockTime: lockTime)
        size = end - start
        wtxid = Hashing.hash256(bytes[start..<end])
        if segwit {
            var stripped = [UInt8]()
            stripped.reserveCapacity(4 + (bodyEnd - bodyStart) + 4)
            stripped.append(contentsOf: bytes[start..<start + 4])
            stripped.append(contentsOf: bytes[bodyStart..<bodyEnd])
            stripped.append(contentsOf: bytes[lockTimeStart..<end])
            strippedSize = stripped.count
            txid = Hashing.hash256(stripped)
        } else {
            strippedSize = size
            txid = wtxid
        }
    }

    /// Decodes a whole buffer holding exactly one transaction.
    public init(bytes: [UInt8]) throws(BitcoinDataError) {
        var reader = ByteReader(bytes)
        try self.init(from: &reader)
        guard reader.isAtEnd else {
            throw BitcoinDataError(.malformed, "\(reader.remaining) bytes after the transaction", offset: reader.offset)
        }
    }
}
