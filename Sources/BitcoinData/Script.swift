/// The standard kinds of output script (scriptPubKey), as Bitcoin Core's `Solver` names them.
public enum ScriptKind: String, Sendable, Codable, CaseIterable {
    /// `<pubkey> OP_CHECKSIG`.
    case p2pk
    /// `OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG`.
    case p2pkh
    /// `OP_HASH160 <20> OP_EQUAL`.
    case p2sh
    /// `OP_0 <20>`.
    case p2wpkh
    /// `OP_0 <32>`.
    case p2wsh
    /// `OP_1 <32>` (taproot).
    case p2tr
    /// A witness program of another version or length (future soft forks, P2A anchors).
    case witnessUnknown
    /// Bare `m <pubkey>... n OP_CHECKMULTISIG`.
    case multisig
    /// `OP_RETURN ...`: provably unspendable data.
    case nullData
    /// Anything else; kept as raw bytes.
    case nonStandard
}

/// Classification of output scripts and their destinations.
public enum Script {
    /// Opcodes used by the standard templates.
    public enum Opcode {
        public static let zero: UInt8 = 0x00
        public static let pushData1: UInt8 = 0x4c
        public static let pushData2: UInt8 = 0x4d
        public static let pushData4: UInt8 = 0x4e
        public static let one: UInt8 = 0x51
        public static let sixteen: UInt8 = 0x60
        public static let returnData: UInt8 = 0x6a
        public static let dup: UInt8 = 0x76
        public static let equal: UInt8 = 0x87
        public static let equalVerify: UInt8 = 0x88
        public static let hash160: UInt8 = 0xa9
        public static let checkSig: UInt8 = 0xac
        public static let checkMultisig: UInt8 = 0xae
    }

    /// The script pushing `value` as a minimal script number, as Bitcoin Core's `CScript() << value` writes it:
    /// OP_0, OP_1 to OP_16, or a push of its little-endian bytes (a zero byte added when the top bit is set).
    public static func pushNumber(_ value: Int) -> [UInt8] {
        precondition(value >= 0, "only non-negative numbers are pushed")
        if value == 0 { return [Opcode.zero] }
        if value <= 16 { return [UInt8(0x50 + value)] }
        var number = [UInt8]()
        var rest = value
        while rest > 0 {
            number.append(UInt8(rest & 0xff))
            rest >>= 8
        }
        if let last = number.last, last & 0x80 != 0 { number.append(0) }
        return [UInt8(number.count)] + number
    }

    /// The witness version and program of a witness output script (BIP-141), if it is one.
    public static func witnessProgram(_ script: [UInt8]) -> (version: Int, program: [UInt8])? {
        guard script.count >= 4, script.count <= 42 else { return nil }
        let first = script[0]
        guard first == Opcode.zero || (first >= Opcode.one && first <= Opcode.sixteen) else { return nil }
        guard Int(script[1]) + 2 == script.count else { return nil }
        return (first == 0 ? 0 : Int(first) - 0x50, Array(script[2...]))
    }

    /// The kind of an output script.
    public static func kind(of script: [UInt8]) -> ScriptKind {
        let count = script.count
        if count == 25, script[0] == Opcode.dup, script[1] == Opcode.hash160, script[2] == 20,
           script[23] == Opcode.equalVerify, script[24] == Opcode.checkSig {
            return .p2pkh
        }
        if count == 23, script[0] == Opcode.hash160, script[1] == 20, script[22] == Opcode.equal { return .p2sh }
        if let (version, program) = witnessProgram(script) {
            switch (version, program.count) {
            case (0, 20): return .p2wpkh
            case (0, 32): return .p2wsh
            case (1, 32): return .p2tr
            case (0, _): return .nonStandard
            default: return .witnessUnknown
            }
        }
        if count >= 1, script[0] == Opcode.returnData { return .nullData }
        if (count == 35 && script[0] == 33 && (script[1] == 2 || script[1] == 3))
            || (count == 67 && script[0] == 65 && script[1] == 4), script[count - 1] == Opcode.checkSig {
            return .p2pk
        }
        if isMultisig(script) { return .multisig }
        return .nonStandard
    }

    /// The public keys a pay-to-pubkey or bare multisig script names, in script order; empty for other kinds.
    public static func publicKeys(_ script: [UInt8]) -> [[UInt8]] {
        switch kind(of: script) {
        case .p2pk:
            return [Array(script[1..<script.count - 1])]
        case .multisig:
            var keys = [[UInt8]]()
            var position = 1
            while position < script.count - 2 {
                let length = Int(script[position])
                keys.append(Array(script[position + 1..<position + 1 + length]))
                position += 1 + length
            }
            return keys
        default:
            return []
        }
    }

    private static func isMultisig(_ script: [UInt8]) -> Bool {
        guard script.count >= 37, script.last == Opcode.checkMultisig else { return false }
        let required = script[0], total = script[script.count - 2]
        guard required >= Opcode.one, required <= Opcode.sixteen, total >= required, total <= Opcode.sixteen else {
            return false
        }
        var position = 1, keys = 0
        while position < script.count - 2 {
            let length = Int(script[position])
            guard length == 33 || length == 65, position + 1 + length <= script.count - 2 else { return false }
            position += 1 + length
            keys += 1
        }
        return keys == Int(total) - 0x50
    }
}
