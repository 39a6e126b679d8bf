import BitcoinData

/// Serves the best chain found in a directory of `blk*.dat` files.
///
/// Block files hold blocks in download order, forks included. Indexing reads every header once, checks its proof
/// of work, links blocks to their parents, and picks the tip with the most cumulative work among the descendants
/// of the genesis block (or, when the files start later, of the first block of the most-work chain, whose height
/// its coinbase declares: BIP-34). Reading stops at the first record that cannot be read or whose header fails
/// its proof of work; the blocks before it are served and ``checkCompleteness()`` reports the stop.
public actor BlockFileSource: BlockSource {
    private struct Location {
        var file: String
        var offset: Int
        var length: Int
    }

    private let reader: BlockFileReader
    private var locations: [Hash256: Location] = [:]
    private var parents: [Hash256: Hash256] = [:]
    private var bestChain: [Hash256] = []
    private var firstHeight = 0
    private var cachedFile: (path: String, bytes: [UInt8])?
    /// Why reading stopped before the end of the files, if it did.
    private var stop: BlockFailure?
    /// Blocks that do not descend from the chain's first block, in file order.
    private var unconnected: [Hash256] = []

    /// Runs of bytes skipped as garbage while indexing (with ``BlockFileReader/GarbagePolicy/skip``), in file order.
    public private(set) var skipped: [SkippedBytes] = []

    /// Indexes the block files of `reader`'s directory.
    ///
    /// - Throws: ``BitcoinDataError`` when the directory or a file cannot be read; ``IngestError`` when the chain
    ///   starts after the genesis block and its first coinbase declares no height. Damaged data does not throw
    ///   here: the chain ends before it and ``checkCompleteness()`` reports it.
    public init(reader: BlockFileReader) throws {
        self.reader = reader
        var locations: [Hash256: Location] = [:]
        var parents: [Hash256: Hash256] = [:]
        var headers: [Hash256: BlockHeader] = [:]
        var order: [Hash256] = []
        var skipped: [SkippedBytes] = []
        var stop: BlockFailure?
        var rejected: (record: BlockFileRecord, parent: Hash256)?
        files: for file in try reader.blockFiles() {
            let scan = try reader.scan(file: file) { skipped.append($0) }
            for record in scan.records {
                let header = try record.header()
                let hash = header.hash
                guard locations[hash] == nil else { continue }
                do {
                    try header.checkProofOfWork(on: reader.network)
                } catch {
                    stop = BlockFailure(location: record.location, height: nil, hash: hash, reason: error.message)
                    rejected = (record, header.previousBlockHash)
                    break files
                }
                locations[hash] = Location(file: file, offset: record.offset, length: record.bytes.count)
                parents[hash] = header.previousBlockHash
                headers[hash] = header
                order.append(hash)
            }
            if let failure = scan.failure {
                stop = BlockFailure(location: BlockFileRecord.location(file: file, offset: failure.offset ?? 0),
                                    height: nil, hash: nil, reason: "\(failure.code): \(failure.message)")
                break files
            }
        }
        self.locations = locations
        self.parents = parents
        self.skipped = skipped
        guard !order.isEmpty else {
            self.stop = stop
            if let rejected { self.stop?.height = rejected.record.declaredHeight() }
            return
        }
        // Cumulative work and first ancestor: walk up to the first block whose values are known (or to a block whose
        // parent is not in the files), then fill in downwards.
        var work: [Hash256: Double] = [:]
        var rootOf: [Hash256: Hash256] = [:]
        for hash in order where work[hash] == nil {
            var path = [Hash256]()
            var cursor = hash
            while work[cursor] == nil, locations[cursor] != nil, let parent = parents[cursor] {
                path.append(cursor)
                cursor = parent
            }
            var total = work[cursor] ?? 0
            let root = rootOf[cursor] ?? path[path.count - 1]
            for item in path.reversed() {
                total += headers[item]?.work ?? 0
                work[item] = total
                rootOf[item] = root
            }
        }
        var mostWork = order[0]
        for hash in order where (work[hash] ?? 0) > (work[mostWork] ?? 0) { mostWork = hash }
        let first = order.first { parents[$0] == .zero } ?? rootOf[mostWork] ?? mostWork
        var tip = first
        for hash in order where rootOf[hash] == first && (work[hash] ?? 0) > (work[tip] ?? 0) { tip = hash }
        var chain = [tip]
        while chain[chain.count - 1] != first, let parent = parents[chain[chain.count - 1]] { chain.append(parent) }
        chain.reverse()
        var cache: (path: String, bytes: [UInt8])?
        var height = 0
        if parents[first] != .zero {
            let record = try Self.record(reader: reader, location: locations[first]!, cache: &cache)
            guard let declared = record.declaredHeight() else {
                throw IngestError("the first block \(first) in \(reader.directory) is not a genesis block and "
                                  + "its coinbase declares no height (BIP-34), so heights cannot be known")
            }
            height = declared
        }
        self.bestChain = chain
        self.firstHeight = height
        self.cachedFile = cache
        self.unconnected = order.filter { rootOf[$0] != first }
        if let rejected {
            stop?.height = Self.height(of: rejected.parent, parents: parents, chain: chain, firstHeight: height)
                .map { $0 + 1 } ?? rejected.record.declaredHeight()
        }
        self.stop = stop
    }

    private static func record(reader: BlockFileReader, location: Location,
                               cache: inout (path: String, bytes: [UInt8])?) throws -> BlockFileRecord {
        if cache?.path != location.file {
            cache = (location.file, try reader.contents(of: location.file))
        }
        let bytes = Array(cache!.bytes[location.offset..<location.offset + location.length])
        return BlockFileRecord(file: location.file, offset: location.offset, bytes: bytes)
    }

    /// The height of `hash` when it descends from a block of `chain` (the best chain from `firstHeight`) through
    /// `parents`; nil otherwise.
    private static func height(of hash: Hash256, parents: [Hash256: Hash256], chain: [Hash256],
                               firstHeight: Int) -> Int? {
        let heights = Dictionary(chain.enumerated().map { ($1, firstHeight + $0) }, uniquingKeysWith: { $1 })
        var steps = 0
        var cursor = hash
        while true {
            if let height = heights[cursor] { return height + steps }
            guard let parent = parents[cursor] else { return nil }
            cursor = parent
            steps += 1
        }
    }

    public func network() -> BitcoinNetwork { reader.network }

    /// The tip of the best chain.
    ///
    /// - Throws: why reading stopped, or ``IngestError``, when the files hold no block that could be indexed.
    public func chainTip() throws -> (height: Int, hash: Hash256) {
        guard let tip = bestChain.last else {
            throw stop ?? IngestError("no \(reader.network) blocks in \(reader.directory) (blk*.dat files)")
        }
        return (firstHeight + bestChain.count - 1, tip)
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

    /// The block at `height`.
    ///
    /// - Throws: ``BlockFailure`` naming the file, offset, height and hash of a block that does not decode.
    public func block(at height: Int) throws -> Block {
        let hash = try blockHash(at: height)
        let record = try Self.record(reader: reader, location: locations[hash]!, cache: &cachedFile)
        do {
            return try record.decode()
        } catch {
            throw BlockFailure(location: record.location, height: height, hash: hash, reason: "\(error)")
        }
    }

    public func origin(ofBlockAt height: Int) -> String? {
        guard let hash = try? blockHash(at: height), let location = locations[hash] else { return nil }
        return BlockFileRecord.location(file: location.file, offset: location.offset)
    }

    /// Throws ``BlockFailure`` for where reading stopped (a record that cannot be read, a header failing its proof
    /// of work) or for the first block, in file order, whose previous block is not in the files; blocks declaring a
    /// height below the chain's first block (left over from a pruned node's older files) are passed over.
    public func checkCompleteness() throws {
        if let stop { throw stop }
        for hash in unconnected {
            guard let location = locations[hash], let parent = parents[hash] else { continue }
            let record = try Self.record(reader: reader, location: location, cache: &cachedFile)
            let declared = record.declaredHeight()
            if let declared, declared < firstHeight { continue }
            let tip = firstHeight + bestChain.count - 1
            throw BlockFailure(location: record.location, height: declared, hash: hash,
                               reason: "its previous block \(parent) is not in the files, so the chain read stops at "
                               + "block \(tip) before the end of the files")
        }
    }
}
