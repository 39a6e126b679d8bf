/// A Bitcoin network and the constants that tell its data apart.
public enum BitcoinNetwork: String, CaseIterable, Sendable, Codable {
    case mainnet, testnet, signet, regtest

    /// The four magic bytes that start each message and each block record in `blk*.dat` files.
    public var magic: [UInt8] {
        switch self {
        case .mainnet: [0xf9, 0xbe, 0xb4, 0xd9]
        case .testnet: [0x0b, 0x11, 0x09, 0x07]
        case .signet: [0x0a, 0x03, 0xcf, 0x40]
        case .regtest: [0xfa, 0xbf, 0xb5, 0xda]
        }
    }

    /// Base58check version byte of pay-to-pubkey-hash addresses.
    public var pubkeyHashVersion: UInt8 { self == .mainnet ? 0x00 : 0x6f }
    /// Base58check version byte of pay-to-script-hash addresses.
    public var scriptHashVersion: UInt8 { self == .mainnet ? 0x05 : 0xc4 }
    /// Base58check version byte of private keys in wallet import format.
    public var secretKeyVersion: UInt8 { self == .mainnet ? 0x80 : 0xef }

    /// Human-readable part of segwit addresses (BIP-173).
    public var bech32HRP: String {
        switch self {
        case .mainnet: "bc"
        case .testnet, .signet: "tb"
        case .regtest: "bcrt"
        }
    }

    /// Parses a network name as Bitcoin Core's `getblockchaininfo` reports it ("main", "test", "signet",
    /// "regtest") or as this type spells it.
    public init?(name: String) {
        switch name.lowercased() {
        case "main", "mainnet", "bitcoin": self = .mainnet
        case "test", "testnet", "testnet3", "testnet4": self = .testnet
        case "signet": self = .signet
        case "regtest": self = .regtest
        default: return nil
        }
    }
}
