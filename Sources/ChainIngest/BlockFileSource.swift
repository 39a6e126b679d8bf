import BitcoinData

/// Serves the best chain found in a directory of `blk*.dat` files.
///
/// Block files hold blocks in download order, forks included. Indexing reads every header once, links blocks to
/// their parents, and picks the tip with the most cumulative work; heights count from the genesis block, or from
/// the height the first block's coinbase declares (BIP-34) when the files start later.
public actor BlockFileSource: BlockSource {
    private struct Location {
        var file: String
        var offset: Int
        var length: Int
    }

    private let reader: BlockFileReader
    private var locations: [Hash256: Location] = [:]
    private var bestChain: [Hash256] = []
    private var firstHeight = 0
    private var cachedFile: (path: String, bytes: [UInt8])?

    /// Byte ranges skipped as garbage while indexing (with ``BlockFileReader/GarbagePolicy/skip``), by file.
    public private(set) var skippedRanges: [(file: String, range: Range<Int>)] = []

    /// Indexes the block files of `reader`'s directory.
    ///
    /// - Throws: ``BitcoinDataError`` naming the file and offset of unreadable data; ``IngestError`` when the
    ///   directory holds no blocks.
    public init(reader: BlockFileReader) throws {
        self.reader = reader
        var locations: [Hash256: Location] = [:]
        var parents: [Hash256: Hash256] = [:]
        var headers: [Hash256: BlockHeader] = [:]
        var order: [Hash256] = []
        var skipped: [(file: String, range: Range<Int>)] = []
        for file in try reader.blockFiles() {
            for record in try reader.records(inFile: file, skipped: { skipped.append((file, $0)) }) {
                let header = try record.header()
                let hash = header.hash
                guard locations[hash] == nil else { continue }
                locations[hash] = Location(file: file, offset: record.offset, length: record.bytes.count)
                parents[hash] = header.previousBlockHash
                headers[hash] = header
                order.append(hash)
            }
        }
        guard !order.isEmpty else {
            throw IngestError("no \(reader.network) blocks in \(reader.directory) (blk*.dat files)")
        }
        // Cumulative work: walk up to the first block whose total is known (or a root), then fill in downwards.
        var work: [Hash256: Double] = [:]
        for hash in order where work[hash] == nil {
            var path = [Hash256]()
            var cursor: Hash256? = hash
            while let current = cursor, work[current] == nil, locations[current] != nil {
                path.append(current)
                cursor = parents[current]
            }
            var total = cursor.flatMap { work[$0] } ?? 0
            for item in path.reversed() {
                total += headers[item]?.work ?? 0
                work[item] = total
            }
        }
        var tip = order[0]
        for hash in order where (work[hash] ?? 0) > (work[tip] ?? 0) { tip = hash }
        var chain = [tip]
        while let parent = parents[chain[chain.count - 1]], locations[parent] != nil { chain.append(parent) }
        chain.reverse()
        var cache: (path: String, bytes: [UInt8])?
        var height = 0
        if parents[chain[0]] != .zero {
            let root = try Self.read(reader: reader, location: locations[chain[0]]!, cache: &cache)
            guard let declared = root.coinbaseHeight else {
                throw IngestError("the first block \(root.hash) in \(reader.directory) is not a genesis block and "
                                  + "its coinbase declares no height (BIP-34), so heights cannot be known")
            }
            height = declared
        }
        self.locations = locations
        self.bestChain = chain
        self.firstHeight = height
        self.cachedFile = cache
        self.skippedRanges = skipped
    }

    private static func read(reader: BlockFileReader, location: Location,
                             cache: inout (path: String, bytes: [UInt8])?) throws -> Block {
        if cache?.path != location.file {
            cache = (location.file, try reader.contents(of: location.file))
        }
        let bytes = Array(cache!.bytes[location.offset..<location.offset + location.length])
        return try BlockFileRecord(file: location.file, offset: location.offset, bytes: bytes).block()
    }

    public func network() -> BitcoinNetwork { reader.network }

    public func chainTip() -> (height: Int, hash: Hash256) {
        (firstHeight + bestChain.count - 1, bestChain[bestChain.count - 1])
    }

    public func lowestHeight() -> Int { firstHeight }

    /// Number of blocks indexed, forks included.
    public var indexedBlockCount: Int { locations.count }

    public func blockHash(at height: Int) throws -> Hash256 {
        let index = height - firstHeight
        guard index >= 0, index < bestChain.count else {
            throw IngestError("height \(height) is outside the block files' chain \(firstHeight)..."
                              + "\(firstHeight + bestChain.count - 1)")
        }
        return bestChain[index]
    }

    public func block(at height: Int) throws -> Block {
        let hash = try blockHash(at: height)
        return try Self.read(reader: reader, location: locations[hash]!, cache: &cachedFile)
    }
}
