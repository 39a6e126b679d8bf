/// Why an alert sink or the alert store could not do its work; the message names the call that failed and what to do.
public struct AlertingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure, for code that reacts to it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable {
            case journal, socket, resolve, file, encoding, store, queueFull, closed, invalidArgument
        }

        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// journald refused the entry or is not running (`sd_journal_sendv`).
        public static let journal = Code(.journal)
        /// A socket call failed (connect, send); the syslog sink retries with backoff.
        public static let socket = Code(.socket)
        /// A collector's host name did not resolve (`getaddrinfo`).
        public static let resolve = Code(.resolve)
        /// Opening or writing the JSON lines file failed.
        public static let file = Code(.file)
        /// A record could not be encoded.
        public static let encoding = Code(.encoding)
        /// The SQLite alert store failed.
        public static let store = Code(.store)
        /// A bounded queue was full; the record was dropped and counted.
        public static let queueFull = Code(.queueFull)
        /// The sink was already shut down.
        public static let closed = Code(.closed)
        /// A configuration value is out of range.
        public static let invalidArgument = Code(.invalidArgument)

        public var description: String { String(describing: kind) }
    }

    /// What kind of failure.
    public let code: Code
    /// What failed and what to do, for operators.
    public let message: String
    /// The `errno` (or negative return) behind the failure, when there is one.
    public let errno: Int32?

    /// Creates an error.
    public init(_ code: Code, _ message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    public var description: String { message }
}
