import BitcoinData

/// Bitcoin Core's regtest genesis block (the block every regtest node's first block file starts with; its hash is
/// 0f9188f1...6e2206).
public enum RegtestGenesis {
    /// The genesis block: version 1, time 1296688602, nBits 0x207fffff, nonce 2.
    public static let block: Block = BitcoinNetwork.regtest.genesisBlock
}
