/// An error of the chain store.
public struct ChainStoreError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure.
    public struct Code: Hashable, Sendable {
        private enum Kind: Hashable, Sendable { case notOnTip, wrongNetwork, notFound }
        private let kind: Kind
        /// A block does not extend the stored tip (its parent is not the tip, or its height is not the next one).
        public static let notOnTip = Code(kind: .notOnTip)
        /// The database holds another network's chain.
        public static let wrongNetwork = Code(kind: .wrongNetwork)
        /// A requested block, transaction or address is not stored.
        public static let notFound = Code(kind: .notFound)
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong and what to do.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
