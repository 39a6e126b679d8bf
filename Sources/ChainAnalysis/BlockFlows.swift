import BitcoinData
import ChainStore

/// Transaction flows of one raw block read without a store, for classifying the addresses of a block alone (a real
/// mainnet block, say) when its history is not at hand.
///
/// Outputs are listed under their addresses as the store lists them. An input is resolved when it spends an earlier
/// transaction of the same block; otherwise its address is the P2PKH address of the public key a standard P2PKH
/// scriptSig ends with, with its value unknown, and other inputs have neither.
public struct BlockFlows: Sendable {
    /// The block's header.
    public var header: BlockHeader
    /// The transaction count the block declares.
    public var declaredTransactions: Int
    /// Flows of the transactions decoded, in block order.
    public var flows: [TransactionFlow]
    /// Why decoding stopped before the declared count, nil when every transaction decoded.
    public var stoppedBy: BitcoinDataError?

    /// Decodes `bytes` (a block as serialised on the wire) up to its first undecodable transaction.
    public init(bytes: [UInt8], height: Int, network: BitcoinNetwork) throws(BitcoinDataError) {
        var reader = ByteReader(bytes)
        header = try BlockHeader(from: &reader)
        declaredTransactions = try reader.readCount("transaction count")
        flows = []
        var outputs = [OutPoint: (address: String?, value: Int64)]()
        for _ in 0..<declaredTransactions {
            let parsed: ParsedTransaction
            do {
                parsed = try ParsedTransaction(from: &reader)
            } catch {
                stoppedBy = error
                break
            }
            let transaction = parsed.transaction
            let listed = transaction.outputs.map { output in
                (address: OutputListing(scriptPubKey: output.scriptPubKey).owner?.address(on: network),
                 value: output.value)
            }
            for (index, output) in listed.enumerated() {
                outputs[OutPoint(txid: parsed.txid, index: UInt32(index))] = output
            }
            let inputs: [(address: String?, value: Int64?)] = transaction.isCoinbase ? [] : transaction.inputs.map {
                if let spent = outputs[$0.previousOutput] { return (spent.address, spent.value) }
                return (Self.pubkeyHashSpender($0.scriptSig).map { $0.address(on: network) }, nil)
            }
            flows.append(TransactionFlow(txid: parsed.txid, height: height, time: Int(header.time),
                                         isCoinbase: transaction.isCoinbase, inputs: inputs, outputs: listed))
        }
    }

    /// The destination of a standard P2PKH scriptSig (a signature push, then a 33- or 65-byte public key push
    /// ending the script); nil for any other script.
    static func pubkeyHashSpender(_ scriptSig: [UInt8]) -> Destination? {
        guard let signatureLength = scriptSig.first, (9...75).contains(signatureLength),
              scriptSig.count > Int(signatureLength) + 1 else { return nil }
        let keyLength = Int(scriptSig[Int(signatureLength) + 1])
        let keyStart = Int(signatureLength) + 2
        guard keyLength == 33 || keyLength == 65, scriptSig.count == keyStart + keyLength,
              [2, 3, 4].contains(scriptSig[keyStart]) else { return nil }
        return .pubkeyHash(Hashing.hash160(Array(scriptSig[keyStart...])))
    }
}
