/// One block record of a `blk*.dat` file.
public struct BlockFileRecord: Sendable {
    /// Path of the file holding the record.
    public var file: String
    /// Byte offset of the block data in the file (after the magic and the length).
    public var offset: Int
    /// The serialised block (de-obfuscated).
    public var bytes: [UInt8]

    /// Creates a record.
    public init(file: String, offset: Int, bytes: [UInt8]) {
        self.file = file
        self.offset = offset
        self.bytes = bytes
    }

    /// Where a place in a block file is, as messages write it: `blocks/blk00000.dat, offset 1,234,567`.
    public static func location(file: String, offset: Int) -> String {
        var digits = String(offset)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return "\(file), offset \(digits)\(grouped)"
    }

    /// Where the record's block starts.
    public var location: String { Self.location(file: file, offset: offset) }

    /// Decodes the block, with the file and offset in any error.
    public func block() throws(BitcoinDataError) -> Block {
        do {
            return try decode()
        } catch {
            throw error.within(location)
        }
    }

    /// Decodes the block; an error's offset counts from the start of the file and its context does not name it.
    public func decode() throws(BitcoinDataError) -> Block {
        do {
            return try Block(bytes: bytes)
        } catch {
            var located = error
            located.offset = error.offset.map { $0 + offset }
            throw located
        }
    }

    /// Decodes only the 80-byte header.
    public func header() throws(BitcoinDataError) -> BlockHeader {
        var reader = ByteReader(bytes)
        do {
            return try BlockHeader(from: &reader)
        } catch {
            throw error.within(location)
        }
    }

    /// The height the coinbase declares (BIP-34), decoding only the header and the coinbase, so that a block
    /// damaged further on still says where it belongs; nil when the coinbase declares none or does not decode.
    public func declaredHeight() -> Int? {
        var reader = ByteReader(bytes)
        guard let header = try? BlockHeader(from: &reader), (try? reader.readCount("transaction count")) != nil,
              let coinbase = try? ParsedTransaction(from: &reader) else { return nil }
        return Block.declaredHeight(version: header.version, coinbase: coinbase.transaction)
    }
}
