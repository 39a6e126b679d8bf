import BitcoinData

/// Bitcoin Core's regtest genesis block, built from its published parameters (the block every regtest node's
/// first block file starts with; its hash is 0f9188f1...6e2206).
public enum RegtestGenesis {
    /// The coinbase message of the genesis block.
    static let message = "The Times 03/Jan/2009 Chancellor on brink of second bailout for banks"
    /// The uncompressed public key the genesis output pays to.
    static let publicKeyHex = "04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb6"
        + "49f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f"

    /// The genesis block: version 1, time 1296688602, nBits 0x207fffff, nonce 2.
    public static let block: Block = {
        let publicKey = (try? Hex.decode(publicKeyHex)) ?? []
        let scriptSig = ScriptBuilder.push([0xff, 0xff, 0x00, 0x1d]) + ScriptBuilder.push([0x04])
            + ScriptBuilder.push(Array(message.utf8))
        let coinbase = Transaction(
            version: 1,
            inputs: [TransactionInput(previousOutput: .null, scriptSig: scriptSig)],
            outputs: [TransactionOutput(value: 50 * 100_000_000,
                                        scriptPubKey: ScriptBuilder.push(publicKey) + [Script.Opcode.checkSig])],
            lockTime: 0)
        let header = BlockHeader(version: 1, previousBlockHash: .zero, merkleRoot: coinbase.txid,
                                 time: 1_296_688_602, bits: RegtestChain.bits, nonce: 2)
        return Block(header: header, transactions: [coinbase])
    }()
}
