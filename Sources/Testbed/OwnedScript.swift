import BitcoinData

/// The output script types the testbed's wallets receive to and spend from.
public enum OutputType: String, Codable, CaseIterable, Sendable {
    /// Pay to public key hash (legacy, base58 address).
    case p2pkh
    /// Pay to witness public key hash (segwit v0, bech32 address).
    case p2wpkh
    /// Pay to script hash wrapping a 2-of-3 bare multisig redeem script (base58 address).
    case p2shMultisig = "p2sh-multisig"
    /// Pay to taproot, spent by key path with a BIP-86 style tweak (segwit v1, bech32m address).
    case p2tr

    /// Virtual size of a signed input of this type, at most (72-byte DER signatures assumed).
    var inputVirtualSize: Int {
        switch self {
        case .p2pkh: 149
        case .p2wpkh: 69
        case .p2shMultisig: 298
        case .p2tr: 58
        }
    }

    /// Size of an output of this type.
    var outputSize: Int {
        switch self {
        case .p2pkh: 34
        case .p2wpkh: 31
        case .p2shMultisig: 32
        case .p2tr: 43
        }
    }
}

/// An output script a wallet controls, with the keys and data needed to spend it.
public struct OwnedScript: Sendable {
    /// Signatures a P2SH multisig spend needs, of ``multisigKeys`` keys.
    public static let multisigRequired = 2
    /// Keys in a P2SH multisig redeem script.
    public static let multisigKeys = 3

    /// The script type.
    public let type: OutputType
    /// The private keys: one, or ``multisigKeys`` for P2SH multisig.
    public let keys: [PrivateKey]
    /// The locking script outputs pay to.
    public let scriptPubKey: [UInt8]
    /// The redeem script (P2SH multisig only).
    public let redeemScript: [UInt8]?
    /// The taproot tweak of the internal key (P2TR only).
    public let tweak: [UInt8]?
    /// The compressed public key (single-key types) or the x-only output key (P2TR).
    public let publicKey: [UInt8]
    /// The regtest address string.
    public let address: String

    /// Derives the script of `type` from `keys` (1 key, or ``multisigKeys`` for P2SH multisig).
    public init(type: OutputType, keys: [PrivateKey], network: BitcoinNetwork = .regtest) throws(Secp256k1Error) {
        precondition(keys.count == (type == .p2shMultisig ? Self.multisigKeys : 1), "wrong number of keys for \(type)")
        self.type = type
        self.keys = keys
        let destination: Destination
        switch type {
        case .p2pkh:
            publicKey = keys[0].publicKey
            destination = .pubkeyHash(Hashing.hash160(publicKey))
            redeemScript = nil
            tweak = nil
        case .p2wpkh:
            publicKey = keys[0].publicKey
            destination = .witness(version: 0, program: Hashing.hash160(publicKey))
            redeemScript = nil
            tweak = nil
        case .p2shMultisig:
            let redeem = ScriptBuilder.multisig(required: Self.multisigRequired, publicKeys: keys.map(\.publicKey))
            publicKey = []
            destination = .scriptHash(Hashing.hash160(redeem))
            redeemScript = redeem
            tweak = nil
        case .p2tr:
            let tapTweak = TaggedHash.tapTweak(internalKey: keys[0].xOnlyPublicKey)
            publicKey = try keys[0].tweakedXOnlyPublicKey(tweak: tapTweak)
            destination = .witness(version: 1, program: publicKey)
            redeemScript = nil
            tweak = tapTweak
        }
        scriptPubKey = destination.scriptPubKey
        address = destination.address(on: network)
    }
}
