import BitcoinData
import Foundation

/// What ingestion and analysis need from a chain database; ``ChainStore`` (SQLite) and the PostgreSQL store of
/// `ChainStorePostgres` implement it over the same schema.
public protocol ChainDatabase: Sendable {
    /// The network whose chain is stored.
    var network: BitcoinNetwork { get }
    /// Highest stored height and its hash; nil when empty.
    func tip() async throws -> (height: Int, hash: Hash256)?
    /// Hash of the stored block at `height`.
    func blockHash(at height: Int) async throws -> Hash256?
    /// Lowest stored height; nil when empty.
    func lowestHeight() async throws -> Int?
    /// Appends blocks on the tip in one database transaction (see ``ChainStore/append(_:firstHeight:)``).
    @discardableResult
    func append(_ blocks: [Block], firstHeight: Int) async throws -> AppendSummary
    /// Removes blocks above `height`; returns how many.
    @discardableResult
    func rollback(toHeight height: Int) async throws -> Int
    /// Row counts.
    func counts() async throws -> StoreCounts
    /// The tip and the row counts as of one moment (one read transaction), so that both describe the same stored
    /// chain while batches are being stored; the tip is nil when the store is empty.
    func tipAndCounts() async throws -> (tip: (height: Int, hash: Hash256)?, counts: StoreCounts)
    /// Transactions of blocks `heights` in chain order, inputs resolved.
    func flows(heights: ClosedRange<Int>) async throws -> [TransactionFlow]
    /// The history and balance of an address; nil when no stored output is listed under it.
    func addressHistory(_ address: String) async throws -> AddressHistory?
    /// A value saved by an analysis component.
    func analysisState(_ key: String) async throws -> Data?
    /// Saves a value for an analysis component.
    func saveAnalysisState(_ key: String, value: Data) async throws
}

extension ChainStore: ChainDatabase {}
