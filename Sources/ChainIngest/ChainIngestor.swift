import BitcoinData
import ChainStore
import Foundation

/// Progress of an ingestion run, reported after each stored batch.
public struct IngestProgress: Sendable {
    /// Height stored last.
    public var height: Int
    /// The source's tip height.
    public var tipHeight: Int
    /// Blocks stored so far in this run.
    public var blocks: Int
    /// Transactions stored so far in this run.
    public var transactions: Int
    /// Seconds since the run started.
    public var elapsed: Double
}

/// What an ingestion run did.
public struct IngestSummary: Sendable, Codable {
    /// Height the run started from (first height stored), nil when nothing was stored.
    public var fromHeight: Int?
    /// Tip height after the run.
    public var tipHeight: Int?
    /// Blocks removed because the source's chain had reorganised.
    public var rolledBackBlocks = 0
    /// Counts of what was written.
    public var written = AppendSummary()
    /// Wall-clock seconds.
    public var seconds = 0.0
    /// Transactions stored per second.
    public var transactionsPerSecond: Double { seconds > 0 ? Double(written.transactions) / seconds : 0 }

    enum CodingKeys: String, CodingKey {
        case fromHeight, tipHeight, rolledBackBlocks, written, seconds, transactionsPerSecond
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(fromHeight, forKey: .fromHeight)
        try container.encode(tipHeight, forKey: .tipHeight)
        try container.encode(rolledBackBlocks, forKey: .rolledBackBlocks)
        try container.encode(written, forKey: .written)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(transactionsPerSecond, forKey: .transactionsPerSecond)
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        fromHeight = try container.decodeIfPresent(Int.self, forKey: .fromHeight)
        tipHeight = try container.decodeIfPresent(Int.self, forKey: .tipHeight)
        rolledBackBlocks = try container.decode(Int.self, forKey: .rolledBackBlocks)
        written = try container.decode(AppendSummary.self, forKey: .written)
        seconds = try container.decode(Double.self, forKey: .seconds)
    }
}

/// Brings a ``ChainStore`` up to a ``BlockSource``'s tip: finds the last block both agree on, rolls the store back
/// to it when the source has reorganised, then stores the missing blocks in height order in batches, checking each
/// block as a node does (``Block/check(height:previousBlockHash:on:)``: proof of work, previous-block link, merkle
/// root, witness commitment, BIP-34 height).
///
/// A block that fails to decode or a check stops the run: the blocks before it are stored (one database transaction
/// per batch, so the store always ends at a block boundary) and the error names the block and what the store holds.
public struct ChainIngestor: Sendable {
    /// The store written to.
    public let store: any ChainDatabase
    /// The source read from.
    public let source: any BlockSource
    /// Blocks per database transaction.
    public let batchSize: Int

    /// Creates an ingestor.
    public init(store: any ChainDatabase, source: any BlockSource, batchSize: Int = 50) {
        self.store = store
        self.source = source
        self.batchSize = max(1, batchSize)
    }

    /// Finds the height of the highest stored block the source also has on its best chain, rolling the store back
    /// to it; returns the number of blocks removed.
    func reconcile(sourceTip: Int, lowest: Int) async throws -> Int {
        guard let tip = try await store.tip() else { return 0 }
        var height = min(tip.height, sourceTip)
        while height >= lowest {
            guard let stored = try await store.blockHash(at: height) else { break }
            if try await source.blockHash(at: height) == stored { break }
            height -= 1
        }
        guard height >= lowest, try await store.blockHash(at: height) != nil else {
            throw IngestError("the stored chain (tip \(tip.hash) at \(tip.height)) shares no block with the source; "
                              + "use a new --db")
        }
        return height < tip.height ? try await store.rollback(toHeight: height) : 0
    }

    /// Runs until the store reaches the source's tip (or `maximumBlocks` are stored); on reaching the tip, asks the
    /// source whether it holds anything it could not serve (``BlockSource/checkCompleteness()``).
    ///
    /// - Parameter progress: called after each batch.
    /// - Throws: ``IngestError`` saying what failed (a ``BlockFailure`` naming the block) and which heights the
    ///   store holds afterwards.
    public func run(maximumBlocks: Int? = nil,
                    progress: @Sendable (IngestProgress) -> Void = { _ in }) async throws -> IngestSummary {
        do {
            return try await ingest(maximumBlocks: maximumBlocks, progress: progress)
        } catch {
            throw IngestError("\(error); \(await storedRange())")
        }
    }

    /// What the store holds, as failure messages say it.
    func storedRange() async -> String {
        guard let tip = try? await store.tip(), let lowest = try? await store.lowestHeight() else {
            return "nothing is stored"
        }
        let blocks = lowest == tip.height ? "block \(lowest) is stored" : "blocks \(lowest)–\(tip.height) are stored"
        return blocks + "; the store ends at a clean block boundary"
    }

    private func ingest(maximumBlocks: Int?, progress: @Sendable (IngestProgress) -> Void) async throws
        -> IngestSummary {
        let started = Date()
        let sourceNetwork = try await source.network()
        guard sourceNetwork == store.network else {
            throw IngestError("the source serves \(sourceNetwork) blocks but the store holds \(store.network)")
        }
        let sourceTip = try await source.chainTip()
        let lowest = try await source.lowestHeight()
        var summary = IngestSummary()
        summary.rolledBackBlocks = try await reconcile(sourceTip: sourceTip.height, lowest: lowest)
        let storedTip = try await store.tip()
        var next = storedTip.map { $0.height + 1 } ?? lowest
        var previous: Hash256? = storedTip?.hash ?? (next == 0 ? .zero : nil)
        var last = sourceTip.height
        if let maximumBlocks { last = min(last, next + maximumBlocks - 1) }
        if next <= last { summary.fromHeight = next }
        while next <= last {
            let end = min(last, next + batchSize - 1)
            var batch = [Block]()
            var failure: (any Error)?
            for height in next...end {
                do {
                    let block = try await source.block(at: height)
                    do {
                        try block.check(height: height, previousBlockHash: previous, on: sourceNetwork)
                    } catch {
                        throw BlockFailure(location: await source.origin(ofBlockAt: height), height: height,
                                           hash: block.hash, reason: error.message)
                    }
                    batch.append(block)
                    previous = block.hash
                } catch {
                    failure = error
                    break
                }
            }
            if !batch.isEmpty { summary.written.add(try await store.append(batch, firstHeight: next)) }
            if let failure { throw failure }
            next = end + 1
            progress(IngestProgress(height: end, tipHeight: sourceTip.height, blocks: summary.written.blocks,
                                    transactions: summary.written.transactions,
                                    elapsed: Date().timeIntervalSince(started)))
        }
        if last == sourceTip.height { try await source.checkCompleteness() }
        summary.tipHeight = try await store.tip()?.height
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }
}
