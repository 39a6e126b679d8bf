/// A cursor over a byte buffer that reads Bitcoin's little-endian integers and compact sizes.
///
/// Every read checks bounds and throws ``BitcoinDataError`` with the offset where the data ran out.
public struct ByteReader: Sendable {
    /// The bytes being read.
    public let bytes: [UInt8]
    /// Offset of the next byte to read.
    public private(set) var offset: Int
    /// Offset one past the last readable byte.
    public let end: Int

    /// Creates a reader over `bytes[start..<end]` (the whole buffer by default).
    public init(_ bytes: [UInt8], start: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.offset = start
        self.end = end ?? bytes.count
    }

    /// Number of bytes left.
    public var remaining: Int { end - offset }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset >= end }

    private func need(_ count: Int, _ what: String) throws(BitcoinDataError) {
        if count < 0 || count > end - offset {
            throw BitcoinDataError(.truncated, "needed \(count) bytes for \(what), \(end - offset) left",
                                   offset: offset)
        }
    }

    /// Reads one byte.
    public mutating func readUInt8(_ what: String = "a byte") throws(BitcoinDataError) -> UInt8 {
        try need(1, what)
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Reads a little-endian unsigned 16-bit integer.
    public mutating func readUInt16(_ what: String = "a 16-bit integer") throws(BitcoinDataError) -> UInt16 {
        try need(2, what)
        defer { offset += 2 }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    /// Reads a little-endian unsigned 32-bit integer.
    public mutating func readUInt32(_ what: String = "a 32-bit integer") throws(BitcoinDataError) -> UInt32 {
        try need(4, what)
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(bytes[offset + index]) << (8 * UInt32(index)) }
        offset += 4
        return value
    }

    /// Reads a little-endian unsigned 64-bit integer.
    public mutating func readUInt64(_ what: String = "a 64-bit integer") throws(BitcoinDataError) -> UInt64 {
        try need(8, what)
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += 8
        return value
    }

    /// Reads a CompactSize (Bitcoin's variable-length integer), rejecting non-canonical encodings.
    public mutating func readCompactSize(_ what: String = "a compact size") throws(BitcoinDataError) -> UInt64 {
        let start = offset
        let first = try readUInt8(what)
        let value: UInt64
        let minimum: UInt64
        switch first {
        case 0xfd: value = UInt64(try readUInt16(what)); minimum = 0xfd
        case 0xfe: value = UInt64(try readUInt32(what)); minimum = 0x1_0000
        case 0xff: value = try readUInt64(what); minimum = 0x1_0000_0000
        default: return UInt64(first)
        }
        if value < minimum {
            throw BitcoinDataError(.malformed, "non-canonical compact size \(value) for \(what)", offset: start)
        }
        return value
    }

    /// Reads a CompactSize used as a count of items, each at least `minimumItemSize` bytes, rejecting counts the
    /// remaining input cannot hold (so a corrupt count cannot trigger a huge allocation).
    public mutating func readCount(_ what: String, minimumItemSize: Int = 1) throws(BitcoinDataError) -> Int {
        let start = offset
        let value = try readCompactSize(what)
        if value > UInt64(remaining / max(minimumItemSize, 1)) {
            throw BitcoinDataError(.truncated, "\(what) is \(value), more than the \(remaining) bytes left can hold",
                                   offset: start)
        }
        return Int(value)
    }

    /// Reads `count` bytes.
    public mutating func readBytes(_ count: Int, _ what: String = "bytes") throws(BitcoinDataError) -> [UInt8] {
        try need(count, what)
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Reads a CompactSize length followed by that many bytes.
    public mutating func readVarBytes(_ what: String = "a byte string") throws(BitcoinDataError) -> [UInt8] {
        let count = try readCount("length of \(what)")
        return try readBytes(count, what)
    }

    /// Reads a 32-byte hash in internal (little-endian) byte order.
    public mutating func readHash(_ what: String = "a hash") throws(BitcoinDataError) -> Hash256 {
        try need(32, what)
        defer { offset += 32 }
        return Hash256(bytes, at: offset)
    }

    /// Moves the cursor forward by `count` bytes.
    public mutating func skip(_ count: Int, _ what: String = "bytes") throws(BitcoinDataError) {
        try need(count, what)
        offset += count
    }
}

/// Appends Bitcoin's little-endian integers and compact sizes to a byte array.
public struct ByteWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty writer, optionally reserving capacity.
    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// Appends one byte.
    public mutating func write(_ value: UInt8) { bytes.append(value) }

    /// Appends a little-endian 32-bit integer.
    public mutating func write(_ value: UInt32) {
        for index in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(index)))) }
    }

    /// Appends a little-endian 64-bit integer.
    public mutating func write(_ value: UInt64) {
        for index in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }

    /// Appends a CompactSize.
    public mutating func writeCompactSize(_ value: Int) {
        switch value {
        case ..<0xfd: bytes.append(UInt8(value))
        case ...0xffff:
            bytes.append(0xfd)
            bytes.append(UInt8(value & 0xff))
            bytes.append(UInt8(value >> 8))
        case ...0xffff_ffff:
            bytes.append(0xfe)
            write(UInt32(value))
        default:
            bytes.append(0xff)
            write(UInt64(value))
        }
    }

    /// Appends raw bytes.
    public mutating func write<C: Collection>(bytes other: C) where C.Element == UInt8 {
        bytes.append(contentsOf: other)
    }

    /// Appends a CompactSize length and the bytes.
    public mutating func writeVarBytes(_ other: [UInt8]) {
        writeCompactSize(other.count)
        bytes.append(contentsOf: other)
    }

    /// Appends a hash in internal byte order.
    public mutating func write(_ hash: Hash256) { bytes.append(contentsOf: hash.bytes) }
}
