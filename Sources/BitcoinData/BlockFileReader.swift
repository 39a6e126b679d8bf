import Foundation

/// Reads Bitcoin Core's block files (`blocks/blk00000.dat`, ...): records of network magic, 32-bit little-endian
/// length and block, the whole file XORed with the 8-byte key in `blocks/xor.dat` (Bitcoin Core 28 and later; no
/// file or an all-zero key means no obfuscation).
public struct BlockFileReader: Sendable {
    /// What to do with bytes that are not a record where one should start.
    public enum GarbagePolicy: Sendable {
        /// Stop with an error naming the file and offset.
        case fail
        /// Skip forward to the next network magic, as Bitcoin Core's reindex does, and report what was skipped.
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
    /// - Throws: ``BitcoinDataError`` with code `.unreadable` naming the directory when it is missing or cannot be
    ///   read, `.malformed` when `xor.dat` is not 8 bytes.
    public init(directory: String, network: BitcoinNetwork, garbagePolicy: GarbagePolicy = .fail) throws {
        self.directory = directory
        self.network = network
        self.garbagePolicy = garbagePolicy
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw BitcoinDataError(.unreadable, "no such directory", context: "blocks directory \(directory)")
        }
        guard isDirectory.boolValue else {
            throw BitcoinDataError(.unreadable, "not a directory", context: "blocks directory \(directory)")
        }
        guard access(directory, R_OK | X_OK) == 0 else {
            throw Self.unreadable(directory, what: "blocks directory")
        }
        let keyPath = (directory as NSString).appendingPathComponent("xor.dat")
        if FileManager.default.fileExists(atPath: keyPath) {
            let key = try Self.read(keyPath, what: "obfuscation key")
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
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw Self.unreadable(directory, what: "blocks directory")
        }
        return names.filter { $0.hasPrefix("blk") && $0.hasSuffix(".dat") }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }

    /// Reads and de-obfuscates a whole file.
    public func contents(of path: String) throws -> [UInt8] {
        var bytes = try Self.read(path, what: "block file")
        if !xorKey.isEmpty {
            for index in bytes.indices { bytes[index] ^= xorKey[index & 7] }
        }
        return bytes
    }

    /// The block records of one file, in file order.
    ///
    /// A run of zero bytes to the end of the file (Bitcoin Core pre-allocates files) ends the file quietly.
    ///
    /// - Parameter skipped: called with each run of bytes skipped under ``GarbagePolicy/skip``.
    /// - Throws: ``BitcoinDataError`` naming the file and offset for bytes that are not a record (under
    ///   ``GarbagePolicy/fail``), a record header or record cut short (code `.truncated`).
    public func records(inFile path: String, skipped: (SkippedBytes) -> Void = { _ in }) throws -> [BlockFileRecord] {
        let scan = try scan(file: path, skipped: skipped)
        if let failure = scan.failure { throw failure }
        return scan.records
    }

    /// The block records of one file up to the first bytes that are not a record, and the error there (always nil
    /// under ``GarbagePolicy/skip``, which passes over such bytes to the next network magic and reports them).
    ///
    /// - Throws: ``BitcoinDataError`` when the file cannot be read.
    public func scan(file path: String, skipped: (SkippedBytes) -> Void = { _ in })
        throws -> (records: [BlockFileRecord], failure: BitcoinDataError?) {
        let bytes = try contents(of: path)
        var records = [BlockFileRecord]()
        var position = 0
        while position < bytes.count {
            if bytes[position...].allSatisfy({ $0 == 0 }) { break }
            switch recordLength(in: bytes, at: position) {
            case .success(let length):
                let start = position + 8
                records.append(BlockFileRecord(file: path, offset: start, bytes: Array(bytes[start..<start + length])))
                position = start + length
            case .failure(let problem):
                guard garbagePolicy == .skip else {
                    return (records, BitcoinDataError(problem.code, problem.message, offset: position, context: path))
                }
                let next = Self.find(network.magic, in: bytes, from: position + 1) ?? bytes.count
                skipped(SkippedBytes(file: path, range: position..<next, reason: "\(problem.code): \(problem.message)"))
                position = next
            }
        }
        return (records, nil)
    }

    /// The length of the record starting at `position`, or why no record starts there.
    private func recordLength(in bytes: [UInt8], at position: Int) -> Result<Int, BitcoinDataError> {
        let magic = network.magic
        let available = bytes.count - position
        let head = Array(bytes[position..<min(position + 4, bytes.count)])
        guard head == magic else {
            if available < 4 && magic.starts(with: head) {
                return .failure(BitcoinDataError(.truncated, "record header cut short: \(available) of 8 bytes"
                                                 + " (file cut short while being written?)"))
            }
            return .failure(BitcoinDataError(.malformed, "expected \(network) magic \(Hex.encode(magic)), found "
                                             + "\(Hex.encode(head)) (wrong network, or garbage in the file)"))
        }
        guard available >= 8 else {
            return .failure(BitcoinDataError(.truncated, "record header cut short: \(available) of 8 bytes"
                                             + " (file cut short while being written?)"))
        }
        var lengthReader = ByteReader(bytes, start: position + 4)
        let length = Int((try? lengthReader.readUInt32()) ?? 0)
        guard length >= BlockHeader.size else {
            return .failure(BitcoinDataError(.malformed, "record length \(length) is shorter than a block header"))
        }
        guard length <= available - 8 else {
            return .failure(BitcoinDataError(.truncated, "record length \(length) but \(available - 8) bytes left"
                                             + " (file cut short while being written?)"))
        }
        return .success(length)
    }

    private static func read(_ path: String, what: String) throws(BitcoinDataError) -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw unreadable(path, what: what)
        }
    }

    /// An error naming `path` with the reason `access(2)` gives, read at once so errno is still the call's.
    private static func unreadable(_ path: String, what: String) -> BitcoinDataError {
        let reason = access(path, R_OK) == 0 ? "cannot be read" : String(cString: strerror(errno))
        return BitcoinDataError(.unreadable, reason, context: "\(what) \(path)")
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

/// A run of bytes passed over as not being a block record (under ``BlockFileReader/GarbagePolicy/skip``).
public struct SkippedBytes: Sendable, Equatable, CustomStringConvertible {
    /// Path of the file.
    public var file: String
    /// The bytes skipped.
    public var range: Range<Int>
    /// Why no record could be read there.
    public var reason: String

    /// Creates a report.
    public init(file: String, range: Range<Int>, reason: String) {
        self.file = file
        self.range = range
        self.reason = reason
    }

    public var description: String {
        "\(BlockFileRecord.location(file: file, offset: range.lowerBound)): skipped \(range.count) bytes: \(reason)"
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
