import BitcoinData

/// The output an input spends, as the signature hashes of BIP-143 and BIP-341 commit to it.
public struct SpentOutput: Sendable, Equatable {
    /// The amount in satoshis.
    public var value: Int64
    /// The locking script.
    public var scriptPubKey: [UInt8]

    /// Creates a spent-output record.
    public init(value: Int64, scriptPubKey: [UInt8]) {
        self.value = value
        self.scriptPubKey = scriptPubKey
    }
}

/// The digests that signatures commit to, for SIGHASH_ALL (ECDSA) and SIGHASH_DEFAULT (taproot key path).
public enum SignatureHash {
    /// SIGHASH_ALL, appended to ECDSA signatures.
    public static let all: UInt8 = 0x01

    /// The original (pre-segwit) signature hash for SIGHASH_ALL: every other input's script emptied, the signed
    /// input's script replaced by `scriptCode` (which holds no OP_CODESEPARATOR here), the hash type appended.
    public static func legacy(_ transaction: Transaction, inputIndex: Int, scriptCode: [UInt8]) -> [UInt8] {
        var copy = transaction
        for index in copy.inputs.indices {
            copy.inputs[index].scriptSig = index == inputIndex ? scriptCode : []
            copy.inputs[index].witness = []
        }
        var writer = ByteWriter()
        writer.write(bytes: copy.serialized(includingWitness: false))
        writer.write(UInt32(all))
        return Hashing.doubleSHA256(writer.bytes)
    }

    /// The BIP-143 signature hash (segwit version 0) for SIGHASH_ALL.
    public static func witnessV0(_ transaction: Transaction, inputIndex: Int, scriptCode: [UInt8],
                                 value: Int64) -> [UInt8] {
        var prevouts = ByteWriter(), sequences = ByteWriter()
        for input in transaction.inputs {
            prevouts.write(input.previousOutput.txid)
            prevouts.write(input.previousOutput.index)
            sequences.write(input.sequence)
        }
        let input = transaction.inputs[inputIndex]
        var writer = ByteWriter(capacity: 200)
        writer.write(UInt32(bitPattern: transaction.version))
        writer.write(bytes: Hashing.doubleSHA256(prevouts.bytes))
        writer.write(bytes: Hashing.doubleSHA256(sequences.bytes))
        writer.write(input.previousOutput.txid)
        writer.write(input.previousOutput.index)
        writer.writeVarBytes(scriptCode)
        writer.write(UInt64(bitPattern: value))
        writer.write(input.sequence)
        writer.write(bytes: Hashing.doubleSHA256(serializedOutputs(transaction)))
        writer.write(transaction.lockTime)
        writer.write(UInt32(all))
        return Hashing.doubleSHA256(writer.bytes)
    }

    /// The BIP-341 signature message hash for a key-path spend with SIGHASH_DEFAULT (no annex, no script path).
    ///
    /// - Parameter spent: the outputs spent by every input of the transaction, in input order.
    public static func taprootKeyPath(_ transaction: Transaction, inputIndex: Int, spent: [SpentOutput]) -> [UInt8] {
        precondition(spent.count == transaction.inputs.count, "one spent output per input")
        var prevouts = ByteWriter(), amounts = ByteWriter(), scripts = ByteWriter(), sequences = ByteWriter()
        for (input, output) in zip(transaction.inputs, spent) {
            prevouts.write(input.previousOutput.txid)
            prevouts.write(input.previousOutput.index)
            amounts.write(UInt64(bitPattern: output.value))
            scripts.writeVarBytes(output.scriptPubKey)
            sequences.write(input.sequence)
        }
        var message = ByteWriter(capacity: 210)
        message.write(UInt8(0))  // sighash epoch
        message.write(UInt8(0))  // SIGHASH_DEFAULT
        message.write(UInt32(bitPattern: transaction.version))
        message.write(transaction.lockTime)
        message.write(bytes: Hashing.sha256(prevouts.bytes))
        message.write(bytes: Hashing.sha256(amounts.bytes))
        message.write(bytes: Hashing.sha256(scripts.bytes))
        message.write(bytes: Hashing.sha256(sequences.bytes))
        message.write(bytes: Hashing.sha256(serializedOutputs(transaction)))
        message.write(UInt8(0))  // spend type: key path, no annex
        message.write(UInt32(inputIndex))
        return TaggedHash.hash(tag: "TapSighash", message.bytes)
    }

    private static func serializedOutputs(_ transaction: Transaction) -> [UInt8] {
        var writer = ByteWriter()
        for output in transaction.outputs {
            writer.write(UInt64(bitPattern: output.value))
            writer.writeVarBytes(output.scriptPubKey)
        }
        return writer.bytes
    }
}
