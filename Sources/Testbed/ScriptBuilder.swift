import BitcoinData

/// Builds the scripts the testbed spends: data pushes, multisig redeem scripts and unlocking scripts.
public enum ScriptBuilder {
    /// A minimal push of `data` (direct length byte up to 75 bytes, then OP_PUSHDATA1 and OP_PUSHDATA2).
    public static func push(_ data: [UInt8]) -> [UInt8] {
        switch data.count {
        case 0: [Script.Opcode.zero]
        case 1...75: [UInt8(data.count)] + data
        case 76...255: [Script.Opcode.pushData1, UInt8(data.count)] + data
        default: [Script.Opcode.pushData2, UInt8(data.count & 0xff), UInt8(data.count >> 8)] + data
        }
    }

    /// `m <pubkey>... n OP_CHECKMULTISIG` for 1 ≤ m ≤ n ≤ 16 compressed keys.
    public static func multisig(required: Int, publicKeys: [[UInt8]]) -> [UInt8] {
        precondition(required >= 1 && required <= publicKeys.count && publicKeys.count <= 16,
                     "m-of-n with m ≤ n ≤ 16")
        var script = [UInt8(0x50 + required)]
        for key in publicKeys { script += push(key) }
        return script + [UInt8(0x50 + publicKeys.count), Script.Opcode.checkMultisig]
    }

    /// The BIP-143 script code of a P2WPKH output: the P2PKH script of the same key hash.
    public static func p2wpkhScriptCode(keyHash: [UInt8]) -> [UInt8] {
        Destination.pubkeyHash(keyHash).scriptPubKey
    }
}
