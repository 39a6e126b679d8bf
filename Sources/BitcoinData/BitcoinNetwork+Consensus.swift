/// The consensus constants a block file's blocks are checked against.
extension BitcoinNetwork {
    /// The highest target a block may declare (Bitcoin Core's `powLimit`), as a 256-bit number.
    public var proofOfWorkLimit: Hash256 {
        let hex = switch self {
        case .mainnet, .testnet: "00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
        case .signet: "00000377ae000000000000000000000000000000000000000000000000000000"
        case .regtest: "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
        }
        return (try? Hash256(hex: hex)) ?? .zero
    }

    /// The first height whose coinbase must start with the block's height (BIP-34; Bitcoin Core's `BIP34Height`:
    /// mainnet 227,931, testnet3 21,111, signet and regtest 1).
    public var bip34Height: Int {
        switch self {
        case .mainnet: 227_931
        case .testnet: 21_111
        case .signet, .regtest: 1
        }
    }
}
