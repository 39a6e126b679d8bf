/// The chain sidecar's (`coinsentry-chaind`'s) commands.
public enum ChainCommand: String, ControlCommandSet {
    case status, address, patterns, watch, unwatch, watchlist
}

/// The chain sidecar's requests, one type per command.
public enum ChainRequest {
    /// The sidecar at a glance.
    public struct Status: ControlRequest {
        public typealias Reply = ChainStatus
        public static let command = ChainCommand.status
        public init() {}
    }

    /// One address: behaviour class with confidences, and its features.
    public struct Address: ControlRequest {
        public typealias Reply = AddressReport
        public static let command = ChainCommand.address
        public var address: String
        public init(address: String) { self.address = address }
    }

    /// Recurring patterns.
    public struct Patterns: ControlRequest {
        public typealias Reply = PatternList
        public static let command = ChainCommand.patterns
        public init() {}
    }

    /// Watch an address.
    public struct Watch: ControlRequest {
        public typealias Reply = WatchChange
        public static let command = ChainCommand.watch
        public var address: String
        public init(address: String) { self.address = address }
    }

    /// Stop watching an address.
    public struct Unwatch: ControlRequest {
        public typealias Reply = WatchChange
        public static let command = ChainCommand.unwatch
        public var address: String
        public init(address: String) { self.address = address }
    }

    /// The watched addresses.
    public struct Watchlist: ControlRequest {
        public typealias Reply = WatchlistState
        public static let command = ChainCommand.watchlist
        public init() {}
    }
}

/// `status`: tip, counts, last cycle, watchlist and alert sinks.
public struct ChainStatus: Codable, Hashable, Sendable {
    /// `mainnet`, `testnet`, `regtest`, ...
    public var network: String
    public var watched: Int
    public var alerts: Int
    public var patterns: Int
    public var model: String?
    public var intervalSeconds: Double
    /// The one-line status the sidecar also reports to systemd.
    public var status: String
    public var tipHeight: Int?
    public var tipHash: String?
    public var blocks: Int?
    public var transactions: Int?
    public var addresses: Int?
    public var lastBlockTime: String?
    public var lastCycle: String?
    public var lastBlocks: Int?
    public var lastError: String?
    public var sinks: [Sink]

    /// An alert sink's deliveries.
    public struct Sink: Codable, Hashable, Sendable {
        public var name: String
        public var delivered: Int
        public var dropped: Int
        public var lastError: String?
        public init(name: String, delivered: Int, dropped: Int, lastError: String?) {
            self.name = name
            self.delivered = delivered
            self.dropped = dropped
            self.lastError = lastError
        }
        enum CodingKeys: String, CodingKey { case name, delivered, dropped, lastError = "last_error" }
    }

    public init(network: String, watched: Int, alerts: Int, patterns: Int, model: String?, intervalSeconds: Double,
                status: String, sinks: [Sink]) {
        self.network = network
        self.watched = watched
        self.alerts = alerts
        self.patterns = patterns
        self.model = model
        self.intervalSeconds = intervalSeconds
        self.status = status
        self.sinks = sinks
    }

    enum CodingKeys: String, CodingKey {
        case network, watched, alerts, patterns, model, intervalSeconds = "interval_seconds", status
        case tipHeight = "tip_height", tipHash = "tip_hash", blocks, transactions, addresses
        case lastBlockTime = "last_block_time", lastCycle = "last_cycle", lastBlocks = "last_blocks"
        case lastError = "last_error", sinks
    }
}

/// `address`.
public struct AddressReport: Codable, Hashable, Sendable {
    public var address: String
    public var watched: Bool
    public var features: [String: Double]
    /// The behaviour class, when a classifier is loaded.
    public var behaviourClass: String?
    public var confidence: Double?
    /// Every class's probability.
    public var probabilities: [String: Double]?

    public init(address: String, watched: Bool, features: [String: Double], behaviourClass: String? = nil,
                confidence: Double? = nil, probabilities: [String: Double]? = nil) {
        self.address = address
        self.watched = watched
        self.features = features
        self.behaviourClass = behaviourClass
        self.confidence = confidence
        self.probabilities = probabilities
    }

    enum CodingKeys: String, CodingKey {
        case address, watched, features, behaviourClass = "class", confidence, probabilities
    }
}

/// `patterns`.
public struct PatternList: Codable, Hashable, Sendable {
    public var patterns: [Pattern]

    /// A recurring pattern: its member addresses and the windows it appeared in.
    public struct Pattern: Codable, Hashable, Sendable {
        public var members: [String]
        public var occurrences: Int
        /// Block times (seconds since 1970).
        public var firstSeen: Int
        public var lastSeen: Int
        public init(members: [String], occurrences: Int, firstSeen: Int, lastSeen: Int) {
            self.members = members
            self.occurrences = occurrences
            self.firstSeen = firstSeen
            self.lastSeen = lastSeen
        }
        enum CodingKeys: String, CodingKey {
            case members, occurrences, firstSeen = "first_seen", lastSeen = "last_seen"
        }
    }

    public init(patterns: [Pattern]) { self.patterns = patterns }
}

/// `watch` and `unwatch`.
public struct WatchChange: Codable, Hashable, Sendable {
    public var address: String
    /// How many addresses are watched now.
    public var watched: Int
    public init(address: String, watched: Int) {
        self.address = address
        self.watched = watched
    }
}

/// `watchlist`.
public struct WatchlistState: Codable, Hashable, Sendable {
    public var addresses: [String]
    /// The watchlist file, when one is configured.
    public var file: String?
    public init(addresses: [String], file: String?) {
        self.addresses = addresses
        self.file = file
    }
}
