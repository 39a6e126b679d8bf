/// An error met while decoding Bitcoin data: what went wrong and where.
///
/// `offset` is the byte offset into the buffer being decoded (a block, a transaction or a block file);
/// `context` names the thing being decoded, for example a file path or "transaction 12".
public struct BitcoinDataError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable {
            case truncated, malformed, badChecksum, badEncoding, unsupported, mismatch, unreadable
        }
        private let kind: Kind
        /// The input ended before the structure being read was complete.
        public static let truncated = Code(kind: .truncated)
        /// A field holds a value the format does not allow.
        public static let malformed = Code(kind: .malformed)
        /// A checksum (base58check, bech32) does not match.
        public static let badChecksum = Code(kind: .badChecksum)
        /// A character or byte outside the encoding's alphabet or rules.
        public static let badEncoding = Code(kind: .badEncoding)
        /// Valid input that this implementation does not handle (for example an unknown network prefix).
        public static let unsupported = Code(kind: .unsupported)
        /// A value that should agree with another does not (merkle root, witness commitment).
        public static let mismatch = Code(kind: .mismatch)
        /// A file or directory that cannot be opened or read.
        public static let unreadable = Code(kind: .unreadable)

        public var description: String {
            switch kind {
            case .truncated: "truncated"
            case .malformed: "malformed"
            case .badChecksum: "bad checksum"
            case .badEncoding: "bad encoding"
            case .unsupported: "unsupported"
            case .mismatch: "mismatch"
            case .unreadable: "unreadable"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence saying what was expected.
    public var message: String
    /// Byte offset of the failure in the decoded buffer, if it applies.
    public var offset: Int?
    /// What was being decoded (file path, transaction index, address string).
    public var context: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, offset: Int? = nil, context: String? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
        self.context = context
    }

    /// The same error with a context prefixed (outer context first).
    public func within(_ outer: String) -> BitcoinDataError {
        var copy = self
        copy.context = context.map { "\(outer): \($0)" } ?? outer
        return copy
    }

    public var description: String {
        var text = ""
        if let context { text += "\(context): " }
        if let offset { text += "at byte offset \(offset): " }
        return text + "\(code): \(message)"
    }
}
