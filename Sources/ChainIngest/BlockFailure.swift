import BitcoinData

/// A block, or a place in a block file, that could not be read or failed a check: where it is, which block, and
/// what is wrong, e.g. `blocks/blk00000.dat, offset 1,234,567, block 170 (0000...): proof of work fails: ...`.
public struct BlockFailure: Error, CustomStringConvertible, Sendable {
    /// File and offset, when the block came from a block file.
    public var location: String?
    /// The block's height, when known (from its place in the chain or, failing that, its coinbase).
    public var height: Int?
    /// The block's hash, when a header was read.
    public var hash: Hash256?
    /// What is wrong.
    public var reason: String

    /// Creates a failure.
    public init(location: String?, height: Int?, hash: Hash256?, reason: String) {
        self.location = location
        self.height = height
        self.hash = hash
        self.reason = reason
    }

    public var description: String {
        var parts = [String]()
        if let location { parts.append(location) }
        switch (height, hash) {
        case let (height?, hash?): parts.append("block \(height) (\(hash))")
        case let (height?, nil): parts.append("block \(height)")
        case let (nil, hash?): parts.append("block \(hash)")
        case (nil, nil): break
        }
        return parts.isEmpty ? reason : parts.joined(separator: ", ") + ": " + reason
    }
}
