/// A 32-byte hash (block hash, txid, merkle root) held in Bitcoin's internal byte order.
///
/// Bitcoin displays these hashes byte-reversed; ``hex`` gives the display form and ``init(hex:)`` reads it.
/// Stored as four words so that a hash is a plain value with no heap allocation.
public struct Hash256: Hashable, Sendable, Comparable, CustomStringConvertible {
    private var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    /// The all-zero hash (the previous-output hash of a coinbase input).
    public static let zero = Hash256(w0: 0, w1: 0, w2: 0, w3: 0)

    private init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    /// Reads 32 bytes in internal order from `buffer` starting at `start`. The caller checks bounds.
    public init(_ buffer: [UInt8], at start: Int = 0) {
        precondition(buffer.count - start >= 32, "Hash256 needs 32 bytes")
        func word(_ base: Int) -> UInt64 {
            var value: UInt64 = 0
            for index in 0..<8 { value |= UInt64(buffer[start + base + index]) << (8 * UInt64(index)) }
            return value
        }
        self.init(w0: word(0), w1: word(8), w2: word(16), w3: word(24))
    }

    /// Parses the byte-reversed display hex used by block explorers and Bitcoin Core's RPC.
    public init(hex: String) throws(BitcoinDataError) {
        let bytes = try Hex.decode(hex)
        guard bytes.count == 32 else {
            throw BitcoinDataError(.malformed, "a hash is 32 bytes, got \(bytes.count)", context: hex)
        }
        self.init(Array(bytes.reversed()))
    }

    /// The 32 bytes in internal order.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for word in [w0, w1, w2, w3] {
            for index in 0..<8 { out.append(UInt8(truncatingIfNeeded: word >> (8 * UInt64(index)))) }
        }
        return out
    }

    /// Display form: hex of the bytes reversed.
    public var hex: String { Hex.encode(bytes.reversed()) }

    public var description: String { hex }

    /// Orders as 256-bit little-endian numbers (the display form read as a number), so a lower hash means more work.
    public static func < (lhs: Hash256, rhs: Hash256) -> Bool {
        (lhs.w3, lhs.w2, lhs.w1, lhs.w0) < (rhs.w3, rhs.w2, rhs.w1, rhs.w0)
    }
}
