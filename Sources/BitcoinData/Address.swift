/// Where an output script sends coins, independent of how the address is written.
public enum Destination: Hashable, Sendable {
    /// Pay to the HASH160 of a public key (P2PKH, base58check).
    case pubkeyHash([UInt8])
    /// Pay to the HASH160 of a script (P2SH, base58check).
    case scriptHash([UInt8])
    /// Pay to a witness program (P2WPKH, P2WSH, P2TR and future versions; bech32 or bech32m).
    case witness(version: Int, program: [UInt8])

    /// The destination of an output script, or nil when the script has no address (P2PK, bare multisig, OP_RETURN,
    /// non-standard).
    public init?(scriptPubKey script: [UInt8]) {
        switch Script.kind(of: script) {
        case .p2pkh: self = .pubkeyHash(Array(script[3..<23]))
        case .p2sh: self = .scriptHash(Array(script[2..<22]))
        case .p2wpkh, .p2wsh, .p2tr, .witnessUnknown:
            guard let (version, program) = Script.witnessProgram(script) else { return nil }
            self = .witness(version: version, program: program)
        case .p2pk, .multisig, .nullData, .nonStandard: return nil
        }
    }

    /// The output script that pays to this destination.
    public var scriptPubKey: [UInt8] {
        switch self {
        case .pubkeyHash(let hash):
            [Script.Opcode.dup, Script.Opcode.hash160, 20] + hash + [Script.Opcode.equalVerify, Script.Opcode.checkSig]
        case .scriptHash(let hash): [Script.Opcode.hash160, 20] + hash + [Script.Opcode.equal]
        case .witness(let version, let program):
            [version == 0 ? 0 : UInt8(0x50 + version), UInt8(program.count)] + program
        }
    }

    /// The address string of this destination on `network`.
    public func address(on network: BitcoinNetwork) -> String {
        switch self {
        case .pubkeyHash(let hash): Base58.encodeCheck([network.pubkeyHashVersion] + hash)
        case .scriptHash(let hash): Base58.encodeCheck([network.scriptHashVersion] + hash)
        case .witness(let version, let program):
            Bech32.encodeSegwit(hrp: network.bech32HRP, version: version, program: program)
        }
    }

    /// Decodes an address written for `network`.
    ///
    /// - Throws: ``BitcoinDataError`` when the string is not a valid address of that network: bad characters or
    ///   checksum, wrong version byte or human-readable part, wrong payload length, or witness rules broken.
    public init(address text: String, network: BitcoinNetwork) throws(BitcoinDataError) {
        let hrp = network.bech32HRP
        if text.count > hrp.count, text.lowercased().hasPrefix(hrp + "1") {
            let (version, program) = try Bech32.decodeSegwit(hrp: hrp, text)
            self = .witness(version: version, program: program)
            return
        }
        let payload = try Base58.decodeCheck(text)
        guard payload.count == 21 else {
            throw BitcoinDataError(.malformed, "base58check payload of \(payload.count) bytes, an address has 21",
                                   context: text)
        }
        let hash = Array(payload[1...])
        switch payload[0] {
        case network.pubkeyHashVersion: self = .pubkeyHash(hash)
        case network.scriptHashVersion: self = .scriptHash(hash)
        default:
            throw BitcoinDataError(.unsupported, "version byte \(payload[0]) is not an address of \(network)",
                                   context: text)
        }
    }

    /// Decodes an address of any network, trying mainnet, testnet and regtest in that order.
    ///
    /// Testnet and signet share their encodings, so a signet address decodes as testnet.
    public static func decodeAnyNetwork(_ text: String) throws(BitcoinDataError) -> (Destination, BitcoinNetwork) {
        var firstError: BitcoinDataError?
        for network in [BitcoinNetwork.mainnet, .testnet, .regtest] {
            do {
                return (try Destination(address: text, network: network), network)
            } catch {
                firstError = firstError ?? error
            }
        }
        throw firstError ?? BitcoinDataError(.malformed, "not an address", context: text)
    }

    /// The script kind this destination's output script has.
    public var kind: ScriptKind { Script.kind(of: scriptPubKey) }
}

/// A private key in wallet import format (WIF): base58check of version byte, 32-byte key and an optional 0x01
/// marking a compressed public key.
public struct WalletImportFormat: Hashable, Sendable {
    /// The 32-byte secret.
    public var key: [UInt8]
    /// Whether the key's public key is used compressed.
    public var isCompressed: Bool

    /// Decodes a WIF string for `network`.
    public init(_ text: String, network: BitcoinNetwork) throws(BitcoinDataError) {
        let payload = try Base58.decodeCheck(text)
        guard payload.first == network.secretKeyVersion else {
            throw BitcoinDataError(.unsupported, "not a private key of \(network)", context: text)
        }
        switch payload.count {
        case 33:
            isCompressed = false
        case 34 where payload[33] == 1:
            isCompressed = true
        default:
            throw BitcoinDataError(.malformed, "private key payload of \(payload.count) bytes", context: text)
        }
        key = Array(payload[1..<33])
    }
}
