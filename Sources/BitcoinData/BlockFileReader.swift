import Foundation

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

    /// Decodes the block, with the file and offset in any error.
    public func block() throws(BitcoinDataError) -> Block {
        do {
            return try Block(bytes: bytes)
        } catch {
            var located = error.within("\(file): block at offset \(offset)")
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
            throw error.within("\(file): block at offset \(offset)")
        }
    }
}

/// Reads Bitcoin Core's block files (`blocks/blk00000.dat`, ...): records of network magic, 32-bit little-endian
/// length and block, the whole file XORed with the 8-byte key in `blocks/xor.dat` (Bitcoin Core 28 and later; no
/// file or an all-zero key means no obfuscation).
public struct BlockFileReader: Sendable {
    /// What to do with bytes that are not a record where one should start.
    public enum GarbagePolicy: Sendable {
        /// Stop with an error naming the file and offset.
        case fail
        /// Skip forward to the next network magic, as Bitcoin Core's reindex does, and report the skipped range.
        case skip
    }

    /// The directory holding the block files.
    public let directory: String
    /// The network whose magic starts each record.
    public let network: BitcoinNetwork
    /// The obfuscation key (empty when none).
    public let xorKey: [UInt8]
    /// The policy for garbage between records.
    public let garbagePolicy: GarbagePolicy

    /// Opens a blocks directory, reading `xor.dat` if present.
    ///
    /// - Throws: ``BitcoinDataError`` when `xor.dat` exists but is not 8 bytes, or the directory cannot be listed.
    public init(directory: String, network: BitcoinNetwork, garbagePolicy: GarbagePolicy = .fail) throws {
        self.directory = directory
        self.network = network
        self.garbagePolicy = garbagePolicy
        let keyPath = (directory as NSString).appendingPathComponent("xor.dat")
        if FileManager.default.fileExists(atPath: keyPath) {
            let key = [UInt8](try Data(contentsOf: URL(fileURLWithPath: keyPath)))
            guard key.count == 8 else {
                throw BitcoinDataError(.malformed, "obfuscation key must be 8 bytes, found \(key.count)",
                                       context: keyPath)
            }
            xorKey = key.allSatisfy { $0 == 0 } ? [] : key
        } else {
            xorKey = []
        }
    }

    /// The block files of the directory in file-number order.
    public func blockFiles() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        return names.filter { $0.hasPrefix("blk") && $0.hasSuffix(".dat") }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }

    /// Reads and de-obfuscates a whole file.
    public func contents(of path: String) throws -> [UInt8] {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        if !xorKey.isEmpty {
            for index in bytes.indices { bytes[index] ^= xorKey[index & 7] }
        }
        return bytes
    }

    /// The block records of one file, in file order.
    ///
    /// A run of zero bytes to the end of the file (Bitcoin Core pre-allocates files) ends the file quietly.
    ///
    /// - Parameter skipped: called with each byte range skipped as garbage under ``GarbagePolicy/skip``.
    /// - Throws: ``BitcoinDataError`` naming the file and offset for bytes that are not a record (under
    ///   ``GarbagePolicy/fail``), a length beyond the end of the file, or a record cut short.
    public func records(inFile path: String, skipped: (Range<Int>) -> Void = { _ in }) throws -> [BlockFileRecord] {
        let bytes = try contents(of: path)
        let magic = network.magic
        var records = [BlockFileRecord]()
        var position = 0
        while position < bytes.count {
            if bytes[position...].allSatisfy({ $0 == 0 }) { break }
            guard bytes.count - position >= 8, Array(bytes[position..<position + 4]) == magic else {
                if garbagePolicy == .skip, let next = Self.find(magic, in: bytes, from: position + 1) {
                    skipped(position..<next)
                    position = next
                    continue
                }
                if garbagePolicy == .skip {
                    skipped(position..<bytes.count)
                    break
                }
                let found = Hex.encode(bytes[position..<min(position + 4, bytes.count)])
                throw BitcoinDataError(.malformed, "expected \(network) magic \(Hex.encode(magic)), found \(found)"
                                       + " (wrong network, or garbage in the file)", offset: position, context: path)
            }
            var lengthReader = ByteReader(bytes, start: position + 4)
            let length = Int(try lengthReader.readUInt32())
            let start = position + 8
            guard length >= BlockHeader.size, length <= bytes.count - start else {
                throw BitcoinDataError(.truncated, "record length \(length) but \(bytes.count - start) bytes left"
                                       + " (file cut short while being written?)", offset: position, context: path)
            }
            records.append(BlockFileRecord(file: path, offset: start, bytes: Array(bytes[start..<start + length])))
            position = start + length
        }
        return records
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        var index = start
        while index <= bytes.count - needle.count {
            if bytes[index] == needle[0] && Array(bytes[index..<index + needle.count]) == needle { return index }
            index += 1
        }
        return nil
    }
}

/// Writes blocks in Bitcoin Core's block-file format (for tests and the regtest testbed), optionally obfuscated
/// with an `xor.dat` key as Bitcoin Core 28 does.
public struct BlockFileWriter: Sendable {
    /// The directory the files go to.
    public let directory: String
    /// The network whose magic starts each record.
    public let network: BitcoinNetwork
    /// The obfuscation key (empty for none).
    public let xorKey: [UInt8]
    /// Largest file size before the next block starts a new file.
    public let maximumFileSize: Int

    /// Creates a writer; with a non-empty key, writes `xor.dat` immediately.
    public init(directory: String, network: BitcoinNetwork, xorKey: [UInt8] = [],
                maximumFileSize: Int = 128 * 1024 * 1024) throws {
        precondition(xorKey.isEmpty || xorKey.count == 8, "the obfuscation key is 8 bytes")
        self.directory = directory
        self.network = network
        self.xorKey = xorKey
        self.maximumFileSize = maximumFileSize
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if !xorKey.isEmpty {
            try Data(xorKey).write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("xor.dat")))
        }
    }

    /// The records' bytes for serialised blocks, unobfuscated.
    public func records(raw blocks: [[UInt8]]) -> [UInt8] {
        var writer = ByteWriter()
        for bytes in blocks {
            writer.write(bytes: network.magic)
            writer.write(UInt32(bytes.count))
            writer.write(bytes: bytes)
        }
        return writer.bytes
    }

    /// Writes `blocks` as records; see ``write(raw:appending:)``.
    @discardableResult
    public func write(_ blocks: [Block], appending extra: [UInt8] = []) throws -> [String] {
        try write(raw: blocks.map(\.serialized), appending: extra)
    }

    /// Writes serialised blocks into `blk00000.dat`, `blk00001.dat`, ..., starting a new file when the next record
    /// would pass ``maximumFileSize``, with `extra` bytes after the last record; returns the paths written.
    @discardableResult
    public func write(raw blocks: [[UInt8]], appending extra: [UInt8] = []) throws -> [String] {
        var files = [[UInt8]]()
        var current = [UInt8]()
        for block in blocks {
            let record = records(raw: [block])
            if !current.isEmpty && current.count + record.count > maximumFileSize {
                files.append(current)
                current = []
            }
            current += record
        }
        files.append(current + extra)
        var paths = [String]()
        for (number, var bytes) in files.enumerated() {
            if !xorKey.isEmpty {
                for index in bytes.indices { bytes[index] ^= xorKey[index & 7] }
            }
            let digits = String(number)
            let name = "blk" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + ".dat"
            let path = (directory as NSString).appendingPathComponent(name)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        return paths
    }
}
