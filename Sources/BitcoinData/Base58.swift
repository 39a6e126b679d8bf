/// Base58 and Base58Check encoding (Bitcoin's alphabet, without 0, O, I and l).
public enum Base58 {
    private static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, char) in alphabet.enumerated() { table[Int(char)] = Int8(index) }
        return table
    }()

    /// Encodes bytes; each leading zero byte becomes a leading "1".
    public static func encode(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix { $0 == 0 }.count
        // Base-58 digits, least significant first; log(256)/log(58) < 1.37.
        var digits = [UInt8]()
        digits.reserveCapacity(bytes.count * 137 / 100 + 1)
        for byte in bytes.dropFirst(zeros) {
            var carry = Int(byte)
            for index in digits.indices {
                carry += Int(digits[index]) << 8
                digits[index] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                digits.append(UInt8(carry % 58))
                carry /= 58
            }
        }
        let text = [UInt8](repeating: alphabet[0], count: zeros) + digits.reversed().map { alphabet[Int($0)] }
        return String(decoding: text, as: UTF8.self)
    }

    /// Decodes a base58 string; any character outside the alphabet (whitespace included) is an error.
    public static func decode(_ text: String) throws(BitcoinDataError) -> [UInt8] {
        let chars = Array(text.utf8)
        let ones = chars.prefix { $0 == alphabet[0] }.count
        var bytes = [UInt8]()
        bytes.reserveCapacity(chars.count * 733 / 1000 + 1)
        for (position, char) in chars.enumerated().dropFirst(ones) {
            let value = values[Int(char)]
            guard value >= 0 else {
                throw BitcoinDataError(.badEncoding, "character \(position + 1) is not in the base58 alphabet",
                                       offset: position, context: text)
            }
            var carry = Int(value)
            for index in bytes.indices {
                carry += Int(bytes[index]) * 58
                bytes[index] = UInt8(carry & 0xff)
                carry >>= 8
            }
            while carry > 0 {
                bytes.append(UInt8(carry & 0xff))
                carry >>= 8
            }
        }
        return [UInt8](repeating: 0, count: ones) + bytes.reversed()
    }

    /// Encodes `payload` followed by the first four bytes of its double SHA-256.
    public static func encodeCheck(_ payload: [UInt8]) -> String {
        encode(payload + Hashing.doubleSHA256(payload).prefix(4))
    }

    /// Decodes a Base58Check string and returns the payload without its checksum.
    public static func decodeCheck(_ text: String) throws(BitcoinDataError) -> [UInt8] {
        let bytes = try decode(text)
        guard bytes.count >= 4 else {
            throw BitcoinDataError(.malformed, "too short for a base58check checksum", context: text)
        }
        let payload = Array(bytes.dropLast(4))
        guard Array(Hashing.doubleSHA256(payload).prefix(4)) == Array(bytes.suffix(4)) else {
            throw BitcoinDataError(.badChecksum, "base58check checksum does not match", context: text)
        }
        return payload
    }
}
