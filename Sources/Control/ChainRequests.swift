/// The chain sidecar's (`coinsentry-chaind`'s) commands.
public enum ChainCommand: String, ControlCommandSet {
    case status, address, patterns, watch, unwatch, watchlist
    case testbedScenarios = "testbed-scenarios", testbedStart = "testbed-start", testbedRuns = "testbed-runs"
    case testbedRun = "testbed-run", testbedLabels = "testbed-labels", testbedTrain = "testbed-train"
    case testbedDelete = "testbed-delete"
}

/// The chain sidecar's requests, one type per command (the testbed's in `TestbedRequests.swift`).
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

/// `address` (and `coinsentry chain address` offline).
public struct AddressReport: Codable, Hashable, Sendable {
    public var address: String
    public var watched: Bool
    public var features: [String: Double]
    /// The behaviour class, when a classifier is loaded.
    public var behaviourClass: String?
    public var confidence: Double?
    /// Every class's probability.
    public var probabilities: [String: Double]?
    /// Why the confidences are held back (`too_little_history`, `unlike_training`); absent when they are not.
    public var caveats: [String]?
    /// What the store holds for the address: transactions, totals and balance.
    public var history: History?
    /// Size of the address's co-spending cluster (multi-input heuristic; 1 when it never co-spent).
    public var clusterSize: Int?
    /// The recurring patterns the address is a member of.
    public var patterns: [PatternList.Pattern]?

    /// An address's transactions and balance. Every output listed under the address counts whole, also a bare
    /// multisig output listed under other keys too (as explorers show it): such balances are not to be summed.
    public struct History: Codable, Hashable, Sendable {
        /// Satoshis.
        public var received: Int64
        public var sent: Int64
        public var balance: Int64
        public var outputs: Int
        public var unspentOutputs: Int
        /// Outputs listed under other keys' addresses too (bare multisig).
        public var sharedOutputs: Int
        /// In chain order.
        public var transactions: [Transaction]

        /// One transaction touching the address.
        public struct Transaction: Codable, Hashable, Sendable {
            public var txid: String
            public var height: Int
            /// Block time, seconds since 1970.
            public var time: Int
            /// Satoshis paid to and spent from the address by the transaction.
            public var received: Int64
            public var sent: Int64
            public init(txid: String, height: Int, time: Int, received: Int64, sent: Int64) {
                self.txid = txid
                self.height = height
                self.time = time
                self.received = received
                self.sent = sent
            }
        }

        public init(received: Int64, sent: Int64, balance: Int64, outputs: Int, unspentOutputs: Int,
                    sharedOutputs: Int, transactions: [Transaction]) {
            self.received = received
            self.sent = sent
            self.balance = balance
            self.outputs = outputs
            self.unspentOutputs = unspentOutputs
            self.sharedOutputs = sharedOutputs
            self.transactions = transactions
        }

        enum CodingKeys: String, CodingKey {
            case received, sent, balance, outputs, unspentOutputs = "unspent_outputs"
            case sharedOutputs = "shared_outputs", transactions
        }
    }

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
        case address, watched, features, behaviourClass = "class", confidence, probabilities, caveats, history
        case clusterSize = "cluster_size", patterns
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
