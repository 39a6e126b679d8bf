import BitcoinData

/// A small regtest chain whose outputs pay keys rather than addresses: the genesis block (its coinbase pays a key),
/// a transaction spending a coinbase into a 1-of-2 bare multisig output, a pay-to-pubkey output and a P2PKH output,
/// and one spending the multisig output.
public struct KeyOutputChain: Sendable {
    /// Two compressed keys (their bytes are not checked to be on the curve: nothing verifies signatures here).
    public static let keyA: [UInt8] = [0x02] + Hashing.sha256(Array("key A".utf8))
    public static let keyB: [UInt8] = [0x03] + Hashing.sha256(Array("key B".utf8))

    /// `<key> OP_CHECKSIG`.
    public static func payToPubkey(_ key: [UInt8]) -> [UInt8] { [UInt8(key.count)] + key + [Script.Opcode.checkSig] }

    /// `1 <keys...> n OP_CHECKMULTISIG`.
    public static func bareMultisig(_ keys: [[UInt8]]) -> [UInt8] {
        [Script.Opcode.one] + keys.flatMap { [UInt8($0.count)] + $0 } + [UInt8(0x50 + keys.count),
                                                                          Script.Opcode.checkMultisig]
    }

    /// The P2PKH address of a key on regtest.
    public static func address(_ key: [UInt8]) -> String {
        Destination.pubkeyHash(Hashing.hash160(key)).address(on: .regtest)
    }

    /// Genesis (height 0), then blocks 1 to 101 of empty coinbases paying key A, so that the coinbase of block 1 is
    /// mature at block 102, which holds the multisig payment; block 103 spends the multisig output.
    public let blocks: [Block]
    /// The transaction paying the multisig output (output 0: 30 BTC), a pay-to-pubkey output to key B (output 1:
    /// 10 BTC) and the change to key A's P2PKH address (output 2).
    public let payment: Transaction
    /// The transaction spending the multisig output to key B's P2WPKH address.
    public let spend: Transaction

    public init() {
        var blocks = [BitcoinNetwork.regtest.genesisBlock]
        func mine(_ transactions: [Transaction]) {
            let tip = blocks[blocks.count - 1]
            var assembler = BlockAssembler(network: .regtest, previousBlockHash: tip.hash, height: blocks.count,
                                           time: tip.header.time + 600)
            for transaction in transactions { assembler.add(transaction) }
            blocks.append(assembler.assemble(coinbaseScript: Self.payToPubkey(Self.keyA)))
        }
        for _ in 1...101 { mine([]) }
        let coinbase = OutPoint(txid: blocks[1].transactions[0].txid, index: 0)
        payment = Transaction(
            version: 2, inputs: [TransactionInput(previousOutput: coinbase, scriptSig: [0x01, 0x01])],
            outputs: [TransactionOutput(value: 30 * 100_000_000,
                                        scriptPubKey: Self.bareMultisig([Self.keyA, Self.keyB])),
                      TransactionOutput(value: 10 * 100_000_000, scriptPubKey: Self.payToPubkey(Self.keyB)),
                      TransactionOutput(value: 9 * 100_000_000,
                                        scriptPubKey: Destination.pubkeyHash(Hashing.hash160(Self.keyA)).scriptPubKey)],
            lockTime: 0)
        mine([payment])
        spend = Transaction(
            version: 2, inputs: [TransactionInput(previousOutput: OutPoint(txid: payment.txid, index: 0),
                                                  scriptSig: [0x00, 0x01, 0x01])],
            outputs: [TransactionOutput(
                value: 29 * 100_000_000,
                scriptPubKey: Destination.witness(version: 0, program: Hashing.hash160(Self.keyB)).scriptPubKey)],
            lockTime: 0)
        mine([spend])
        self.blocks = blocks
    }
}
