/// Bech32 (BIP-173) and Bech32m (BIP-350) encoding, and the segwit address format built on them.
public enum Bech32 {
    /// The checksum variant.
    public enum Variant: Sendable, Equatable {
        /// BIP-173, used for witness version 0.
        case bech32
        /// BIP-350, used for witness versions 1 to 16.
        case bech32m

        var constant: UInt32 { self == .bech32 ? 1 : 0x2bc8_30a3 }
    }

    private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (index, char) in charset.enumerated() { table[Int(char)] = Int8(index) }
        return table
    }()

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var checksum: UInt32 = 1
        for value in values {
            let top = checksum >> 25
            checksum = (checksum & 0x1ff_ffff) << 5 ^ UInt32(value)
            for index in 0..<5 where (top >> index) & 1 == 1 { checksum ^= generator[index] }
        }
        return checksum
    }

    private static func expand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    /// Encodes a human-readable part and 5-bit data values with the given checksum variant (lower case).
    public static func encode(hrp: String, data: [UInt8], variant: Variant) -> String {
        let hrpBytes = Array(hrp.lowercased().utf8)
        let mod = polymod(expand(hrpBytes) + data + [0, 0, 0, 0, 0, 0]) ^ variant.constant
        let checksum = (0..<6).map { UInt8((mod >> (5 * (5 - UInt32($0)))) & 31) }
        return String(decoding: hrpBytes + [UInt8(ascii: "1")] + (data + checksum).map { charset[Int($0)] },
                      as: UTF8.self)
    }

    /// Decodes a bech32 or bech32m string into its human-readable part (lower case), 5-bit data values (checksum
    /// removed) and the checksum variant that matched.
    ///
    /// - Throws: on mixed case, characters outside 33...126, a length over 90, a missing separator, an empty
    ///   human-readable part, fewer than six checksum characters, a character outside the data alphabet, or a
    ///   checksum matching neither variant.
    public static func decode(_ text: String) throws(BitcoinDataError)
        -> (hrp: String, data: [UInt8], variant: Variant) {
        let chars = Array(text.utf8)
        func fail(_ code: BitcoinDataError.Code, _ message: String) -> BitcoinDataError {
            BitcoinDataError(code, message, context: text)
        }
        guard chars.count <= 90 else { throw fail(.malformed, "longer than 90 characters") }
        var hasLower = false, hasUpper = false
        for char in chars {
            guard char >= 33, char <= 126 else { throw fail(.badEncoding, "character outside 33...126") }
            if char >= 97 && char <= 122 { hasLower = true }
            if char >= 65 && char <= 90 { hasUpper = true }
        }
        guard !(hasLower && hasUpper) else { throw fail(.badEncoding, "mixed upper and lower case") }
        let lower = chars.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        guard let separator = lower.lastIndex(of: UInt8(ascii: "1")) else {
            throw fail(.malformed, "no separator '1'")
        }
        guard separator >= 1 else { throw fail(.malformed, "empty human-readable part") }
        guard lower.count - separator - 1 >= 6 else { throw fail(.malformed, "checksum shorter than 6 characters") }
        let hrp = Array(lower[..<separator])
        var data = [UInt8]()
        for (position, char) in lower[(separator + 1)...].enumerated() {
            let value = char < 128 ? values[Int(char)] : -1
            guard value >= 0 else {
                throw BitcoinDataError(.badEncoding, "character \(separator + 2 + position) is not a bech32 character",
                                       offset: separator + 1 + position, context: text)
            }
            data.append(UInt8(value))
        }
        let check = polymod(expand(hrp) + data)
        let variant: Variant
        switch check {
        case Variant.bech32.constant: variant = .bech32
        case Variant.bech32m.constant: variant = .bech32m
        default: throw fail(.badChecksum, "bech32/bech32m checksum does not match")
        }
        return (String(decoding: hrp, as: UTF8.self), Array(data.dropLast(6)), variant)
    }

    /// Regroups bits: `from`-bit values into `to`-bit values. With `pad`, a last partial group is zero-padded;
    /// without, leftover bits must be fewer than `from` and zero.
    public static func convertBits(_ input: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var accumulator = 0, bits = 0
        var output = [UInt8]()
        let maxValue = (1 << to) - 1
        for value in input {
            guard Int(value) >> from == 0 else { return nil }
            accumulator = accumulator << from | Int(value)
            bits += from
            while bits >= to {
                bits -= to
                output.append(UInt8((accumulator >> bits) & maxValue))
            }
        }
        if pad {
            if bits > 0 { output.append(UInt8((accumulator << (to - bits)) & maxValue)) }
        } else if bits >= from || (accumulator << (to - bits)) & maxValue != 0 {
            return nil
        }
        return output
    }

    /// Encodes a segwit address: version 0 with bech32, versions 1 to 16 with bech32m (BIP-350).
    public static func encodeSegwit(hrp: String, version: Int, program: [UInt8]) -> String {
        let data = [UInt8(version)] + (convertBits(program, from: 8, to: 5, pad: true) ?? [])
        return encode(hrp: hrp, data: data, variant: version == 0 ? .bech32 : .bech32m)
    }

    /// Decodes a segwit address for the given human-readable part and checks the rules of BIP-173 and BIP-350:
    /// version 0 to 16, program of 2 to 40 bytes (20 or 32 for version 0), the checksum variant the version needs.
    public static func decodeSegwit(hrp expected: String, _ text: String)
        throws(BitcoinDataError) -> (version: Int, program: [UInt8]) {
        let (hrp, data, variant) = try decode(text)
        func fail(_ message: String) -> BitcoinDataError { BitcoinDataError(.malformed, message, context: text) }
        guard hrp == expected else { throw fail("human-readable part '\(hrp)', expected '\(expected)'") }
        guard let version = data.first else { throw fail("no witness version") }
        guard version <= 16 else { throw fail("witness version \(version) above 16") }
        guard let program = convertBits(Array(data.dropFirst()), from: 5, to: 8, pad: false) else {
            throw fail("invalid padding in the witness program")
        }
        guard (2...40).contains(program.count) else { throw fail("witness program of \(program.count) bytes") }
        if version == 0 && program.count != 20 && program.count != 32 {
            throw fail("version 0 witness program of \(program.count) bytes (20 or 32 allowed)")
        }
        guard variant == (version == 0 ? .bech32 : .bech32m) else {
            throw BitcoinDataError(.badChecksum, "witness version \(version) needs "
                                   + (version == 0 ? "bech32" : "bech32m"), context: text)
        }
        return (Int(version), program)
    }
}
