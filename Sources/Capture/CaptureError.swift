/// Why a capture could not start or ended early; the message says what failed and what to do.
public struct CaptureError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure, for code that reacts to it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable {
            case permission, noSuchInterface, interfaceDown, notCaptureFile, unsupportedLinkType, badFilter, io
            case noMemory, affinity, truncatedFile, invalidArgument, thread, queue
        }

        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// Live capture needs CAP_NET_RAW.
        public static let permission = Code(.permission)
        public static let noSuchInterface = Code(.noSuchInterface)
        public static let interfaceDown = Code(.interfaceDown)
        /// The file is neither pcap nor pcapng.
        public static let notCaptureFile = Code(.notCaptureFile)
        public static let unsupportedLinkType = Code(.unsupportedLinkType)
        public static let badFilter = Code(.badFilter)
        public static let io = Code(.io)
        public static let noMemory = Code(.noMemory)
        /// The capture thread could not be pinned to the configured CPU.
        public static let affinity = Code(.affinity)
        /// The capture file ends in the middle of a packet; everything before was counted.
        public static let truncatedFile = Code(.truncatedFile)
        public static let invalidArgument = Code(.invalidArgument)
        public static let thread = Code(.thread)
        /// The netfilter queue could not be bound or configured (held by another program, module missing).
        public static let queue = Code(.queue)

        public var description: String { String(describing: kind) }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
