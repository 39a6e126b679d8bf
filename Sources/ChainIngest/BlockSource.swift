import BitcoinData

/// Where blocks come from: a node's JSON-RPC or a directory of block files.
public protocol BlockSource: Sendable {
    /// The network of the source's chain.
    func network() async throws -> BitcoinNetwork
    /// The source's best chain tip.
    func chainTip() async throws -> (height: Int, hash: Hash256)
    /// Lowest height the source can serve (0 for a node; the first block's height for block files).
    func lowestHeight() async throws -> Int
    /// The hash of the best chain's block at `height`.
    func blockHash(at height: Int) async throws -> Hash256
    /// The best chain's block at `height`.
    func block(at height: Int) async throws -> Block
    /// Where the best chain's block at `height` is, for messages (file and offset); nil when the source has no such
    /// place to name.
    func origin(ofBlockAt height: Int) async -> String?
    /// Throws when the source holds data past its chain's tip that it could not serve: a damaged record or header
    /// where reading stopped, or blocks whose previous block is missing. Called once the tip is stored.
    func checkCompleteness() async throws
}

extension BlockSource {
    public func origin(ofBlockAt height: Int) async -> String? { nil }
    public func checkCompleteness() async throws {}
}

/// An error of ingestion, saying what failed and where.
public struct IngestError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and what to do.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
