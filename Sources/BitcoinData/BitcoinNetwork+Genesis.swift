/// The networks' genesis blocks, built from Bitcoin Core's chain parameters.
extension BitcoinNetwork {
    /// The coinbase every network's genesis block shares: the Times headline, 50 BTC paid to a key (pay-to-pubkey).
    public static let genesisCoinbase: Transaction = {
        let message = Array("The Times 03/Jan/2009 Chancellor on brink of second bailout for banks".utf8)
        let scriptSig: [UInt8] = [0x04, 0xff, 0xff, 0x00, 0x1d, 0x01, 0x04, UInt8(message.count)] + message
        let key = (try? Hex.decode("04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb6"
            + "49f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f")) ?? []
        let payToKey = [UInt8(key.count)] + key + [Script.Opcode.checkSig]
        return Transaction(version: 1, inputs: [TransactionInput(previousOutput: .null, scriptSig: scriptSig)],
                           outputs: [TransactionOutput(value: 50 * 100_000_000, scriptPubKey: payToKey)], lockTime: 0)
    }()

    /// The network's genesis block (time, nBits and nonce as Bitcoin Core's `CreateGenesisBlock` calls give them).
    public var genesisBlock: Block {
        let (time, bits, nonce): (UInt32, UInt32, UInt32) = switch self {
        case .mainnet: (1_231_006_505, 0x1d00_ffff, 2_083_236_893)
        case .testnet: (1_296_688_602, 0x1d00_ffff, 414_098_458)
        case .signet: (1_598_918_400, 0x1e03_77ae, 52_613_770)
        case .regtest: (1_296_688_602, 0x207f_ffff, 2)
        }
        let coinbase = Self.genesisCoinbase
        return Block(header: BlockHeader(version: 1, previousBlockHash: .zero, merkleRoot: coinbase.txid, time: time,
                                         bits: bits, nonce: nonce),
                     transactions: [coinbase])
    }
}
