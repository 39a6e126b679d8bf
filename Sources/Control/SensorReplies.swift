// The sensor's reply types. Field names on the wire are snake_case; times are RFC 3339 text; an absent field is null.

/// `status`: the sensor at a glance.
public struct SensorStatus: Codable, Hashable, Sendable {
    public var sensor: String
    public var version: String
    public var uptimeSeconds: Double
    public var paused: Bool
    public var interfaces: [String]
    public var hosts: Int
    public var miningHosts: Int
    public var suspectHosts: Int
    public var openAlerts: Int
    public var packetsPerSecond: Double
    /// The model file's id.
    public var model: String
    /// Inline mode's queue, policy and blocks; absent outside inline mode.
    public var inline: InlineStatus?

    public struct InlineStatus: Codable, Hashable, Sendable {
        public var queue: Int
        public var policy: String
        public var blockedHosts: Int
        public init(queue: Int, policy: String, blockedHosts: Int) {
            self.queue = queue
            self.policy = policy
            self.blockedHosts = blockedHosts
        }
        enum CodingKeys: String, CodingKey { case queue, policy, blockedHosts = "blocked_hosts" }
    }

    public init(sensor: String, version: String, uptimeSeconds: Double, paused: Bool, interfaces: [String], hosts: Int,
                miningHosts: Int, suspectHosts: Int, openAlerts: Int, packetsPerSecond: Double, model: String,
                inline: InlineStatus?) {
        self.sensor = sensor
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.paused = paused
        self.interfaces = interfaces
        self.hosts = hosts
        self.miningHosts = miningHosts
        self.suspectHosts = suspectHosts
        self.openAlerts = openAlerts
        self.packetsPerSecond = packetsPerSecond
        self.model = model
        self.inline = inline
    }

    enum CodingKeys: String, CodingKey {
        case sensor, version, uptimeSeconds = "uptime_s", paused, interfaces, hosts, miningHosts = "mining_hosts"
        case suspectHosts = "suspect_hosts", openAlerts = "open_alerts", packetsPerSecond = "packets_per_second"
        case model, inline
    }
}

/// `hosts`.
public struct HostList: Codable, Hashable, Sendable {
    public var hosts: [HostSummary]
    /// Hosts that matched the request's filters, of which `hosts` is the page from `offset` on.
    public var total: Int?
    public var offset: Int?
    public init(hosts: [HostSummary], total: Int? = nil, offset: Int? = nil) {
        self.hosts = hosts
        self.total = total
        self.offset = offset
    }
}

/// One host's verdict, class and traffic, as `hosts` lists it.
public struct HostSummary: Codable, Hashable, Sendable {
    public var host: String
    /// The fused verdict's state: `mining`, `normal` or `undecided`.
    public var verdict: String
    /// `mining` or `suspect`; absent below both.
    public var level: String?
    /// The rule that decided.
    public var rule: String
    /// The statistical vote's own state.
    public var vote: String
    public var score: Double
    public var windows: Int
    /// The traffic class in operators' words (`CPU mining`, `video streaming`, ...), when the class vote has one that
    /// agrees with the verdict.
    public var trafficClass: String?
    /// The training trace the class is named after.
    public var classTrace: String?
    public var classIsMining: Bool?
    /// The class's share of the voted windows.
    public var classShare: Double?
    public var bytesReceived: UInt64
    public var bytesSent: UInt64
    /// The benign mark's reason, when one holds.
    public var benign: String?
    public var suppressedAlerts: Int

    public init(host: String, verdict: String, level: String?, rule: String, vote: String, score: Double, windows: Int,
                trafficClass: String?, classTrace: String?, classIsMining: Bool?, classShare: Double?,
                bytesReceived: UInt64, bytesSent: UInt64, benign: String?, suppressedAlerts: Int) {
        self.host = host
        self.verdict = verdict
        self.level = level
        self.rule = rule
        self.vote = vote
        self.score = score
        self.windows = windows
        self.trafficClass = trafficClass
        self.classTrace = classTrace
        self.classIsMining = classIsMining
        self.classShare = classShare
        self.bytesReceived = bytesReceived
        self.bytesSent = bytesSent
        self.benign = benign
        self.suppressedAlerts = suppressedAlerts
    }

    enum CodingKeys: String, CodingKey {
        case host, verdict, level, rule, vote, score, windows, trafficClass = "class", classTrace = "class_trace"
        case classIsMining = "class_is_mining", classShare = "class_share", bytesReceived = "bytes_received"
        case bytesSent = "bytes_sent", benign, suppressedAlerts = "suppressed_alerts"
    }
}

/// `host`: the summary's fields and the detail beside them, in one object.
public struct HostDetail: Codable, Hashable, Sendable {
    public var summary: HostSummary
    /// Every rule of the fusion, whether it holds, and what it saw or still needs.
    public var rules: [RuleStanding]
    /// The vote's recent window decisions, newest last (+1 mining, -1 not).
    public var recentDecisions: [Double]
    public var lastWindowEnd: Double?
    public var packetsReceived: UInt64
    public var packetsSent: UInt64
    public var busiestRemotes: [RemoteTraffic]
    public var openAlert: Bool
    public var evidence: [EvidenceEntry]
    public var blocked: BlockEntry?
    /// The last window's features by name.
    public var features: [String: Double]?
    /// The host's recent traffic, oldest first, over `seriesSpan` (absent from older daemons).
    public var series: [TrafficPoint]?
    /// The span the series covers, in seconds up to the host's latest traffic (absent from older daemons).
    public var seriesSpan: Double?

    /// One bucket of a host's traffic series.
    public struct TrafficPoint: Codable, Hashable, Sendable {
        /// The bucket's start, seconds since 1970.
        public var start: Double
        public var seconds: Double
        public var bytesReceived: UInt64
        public var bytesSent: UInt64
        public var packetsReceived: UInt64
        public var packetsSent: UInt64

        public init(start: Double, seconds: Double, bytesReceived: UInt64, bytesSent: UInt64, packetsReceived: UInt64,
                    packetsSent: UInt64) {
            self.start = start
            self.seconds = seconds
            self.bytesReceived = bytesReceived
            self.bytesSent = bytesSent
            self.packetsReceived = packetsReceived
            self.packetsSent = packetsSent
        }

        enum CodingKeys: String, CodingKey {
            case start, seconds, bytesReceived = "bytes_received", bytesSent = "bytes_sent"
            case packetsReceived = "packets_received", packetsSent = "packets_sent"
        }
    }

    public struct RuleStanding: Codable, Hashable, Sendable {
        public var rule: String
        public var level: String?
        public var holds: Bool
        public var detail: String
        public init(rule: String, level: String?, holds: Bool, detail: String) {
            self.rule = rule
            self.level = level
            self.holds = holds
            self.detail = detail
        }
    }

    public struct RemoteTraffic: Codable, Hashable, Sendable {
        public var remote: String
        public var transport: String
        public var bytes: UInt64
        public init(remote: String, transport: String, bytes: UInt64) {
            self.remote = remote
            self.transport = transport
            self.bytes = bytes
        }
    }

    public init(summary: HostSummary, rules: [RuleStanding], recentDecisions: [Double], lastWindowEnd: Double?,
                packetsReceived: UInt64, packetsSent: UInt64, busiestRemotes: [RemoteTraffic], openAlert: Bool,
                evidence: [EvidenceEntry], blocked: BlockEntry?, features: [String: Double]?,
                series: [TrafficPoint]? = nil, seriesSpan: Double? = nil) {
        self.summary = summary
        self.rules = rules
        self.recentDecisions = recentDecisions
        self.lastWindowEnd = lastWindowEnd
        self.packetsReceived = packetsReceived
        self.packetsSent = packetsSent
        self.busiestRemotes = busiestRemotes
        self.openAlert = openAlert
        self.evidence = evidence
        self.blocked = blocked
        self.features = features
        self.series = series
        self.seriesSpan = seriesSpan
    }

    enum CodingKeys: String, CodingKey {
        case rules, recentDecisions = "recent_decisions", lastWindowEnd = "last_window_end"
        case packetsReceived = "packets_received", packetsSent = "packets_sent", busiestRemotes = "busiest_remotes"
        case openAlert = "open_alert", evidence, blocked, features, series, seriesSpan = "series_span"
    }

    public init(from decoder: any Decoder) throws {
        summary = try HostSummary(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rules = try container.decode([RuleStanding].self, forKey: .rules)
        recentDecisions = try container.decode([Double].self, forKey: .recentDecisions)
        lastWindowEnd = try container.decodeIfPresent(Double.self, forKey: .lastWindowEnd)
        packetsReceived = try container.decode(UInt64.self, forKey: .packetsReceived)
        packetsSent = try container.decode(UInt64.self, forKey: .packetsSent)
        busiestRemotes = try container.decode([RemoteTraffic].self, forKey: .busiestRemotes)
        openAlert = try container.decode(Bool.self, forKey: .openAlert)
        evidence = try container.decode([EvidenceEntry].self, forKey: .evidence)
        blocked = try container.decodeIfPresent(BlockEntry.self, forKey: .blocked)
        features = try container.decodeIfPresent([String: Double].self, forKey: .features)
        series = try container.decodeIfPresent([TrafficPoint].self, forKey: .series)
        seriesSpan = try container.decodeIfPresent(Double.self, forKey: .seriesSpan)
    }

    public func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rules, forKey: .rules)
        try container.encode(recentDecisions, forKey: .recentDecisions)
        try container.encodeIfPresent(lastWindowEnd, forKey: .lastWindowEnd)
        try container.encode(packetsReceived, forKey: .packetsReceived)
        try container.encode(packetsSent, forKey: .packetsSent)
        try container.encode(busiestRemotes, forKey: .busiestRemotes)
        try container.encode(openAlert, forKey: .openAlert)
        try container.encode(evidence, forKey: .evidence)
        try container.encodeIfPresent(blocked, forKey: .blocked)
        try container.encodeIfPresent(features, forKey: .features)
        try container.encodeIfPresent(series, forKey: .series)
        try container.encodeIfPresent(seriesSpan, forKey: .seriesSpan)
    }
}

/// One piece of evidence as alerts and the `host` reply carry it (the alert record's evidence, on the wire).
public struct EvidenceEntry: Codable, Hashable, Sendable {
    /// `stratum`, `pool-shape`, `pool-name`.
    public var kind: String
    public var remote: String?
    public var dialect: String?
    public var worker: String?
    public var role: String?
    public var name: String?
    public var source: String?
    public var score: Double?
    public var bytes: UInt64?
    public var seconds: Double?

    public init(kind: String, remote: String? = nil, dialect: String? = nil, worker: String? = nil,
                role: String? = nil, name: String? = nil, source: String? = nil, score: Double? = nil,
                bytes: UInt64? = nil, seconds: Double? = nil) {
        self.kind = kind
        self.remote = remote
        self.dialect = dialect
        self.worker = worker
        self.role = role
        self.name = name
        self.source = source
        self.score = score
        self.bytes = bytes
        self.seconds = seconds
    }
}

/// `alerts`.
public struct AlertList: Codable, Hashable, Sendable {
    public var alerts: [AlertEntry]
    public init(alerts: [AlertEntry]) { self.alerts = alerts }
}

/// `alert-groups`: alerts of one host under one rule each.
public struct AlertGroupList: Codable, Hashable, Sendable {
    public var groups: [AlertGroup]
    public init(groups: [AlertGroup]) { self.groups = groups }
}

/// Alerts of one host under one rule: how many, first and last seen, the latest alert's id and event, the level of
/// the latest that has one, and how many are neither acknowledged nor closed.
public struct AlertGroup: Codable, Hashable, Sendable {
    public var host: String
    public var rule: String?
    public var level: String?
    public var count: Int
    public var firstSeen: String
    public var lastSeen: String
    public var latestId: Int64
    public var latestEvent: String
    /// Alerts neither acknowledged nor closed.
    public var unhandled: Int

    public init(host: String, rule: String?, level: String?, count: Int, firstSeen: String, lastSeen: String,
                latestId: Int64, latestEvent: String, unhandled: Int) {
        self.host = host
        self.rule = rule
        self.level = level
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.latestId = latestId
        self.latestEvent = latestEvent
        self.unhandled = unhandled
    }

    enum CodingKeys: String, CodingKey {
        case host, rule, level, count, firstSeen = "first_seen", lastSeen = "last_seen", latestId = "latest_id"
        case latestEvent = "latest_event", unhandled
    }
}

/// One stored alert: the record's fields, its id and the operators' marks.
public struct AlertEntry: Codable, Hashable, Sendable {
    public var id: Int64
    public var time: String
    public var sensor: String
    public var event: String
    public var level: String?
    public var rule: String?
    public var reason: String?
    public var host: String
    public var verdict: String
    public var score: Double
    public var windows: Int
    public var model: String
    public var evidence: [EvidenceEntry]
    public var action: String
    public var requestedBy: String?
    public var acknowledgedBy: String?
    public var acknowledgedAt: String?
    public var closedBy: String?
    public var closedAt: String?

    public init(id: Int64, time: String, sensor: String, event: String, level: String?, rule: String?,
                reason: String?, host: String, verdict: String, score: Double, windows: Int, model: String,
                evidence: [EvidenceEntry], action: String, requestedBy: String?, acknowledgedBy: String?,
                acknowledgedAt: String?, closedBy: String?, closedAt: String?) {
        self.id = id
        self.time = time
        self.sensor = sensor
        self.event = event
        self.level = level
        self.rule = rule
        self.reason = reason
        self.host = host
        self.verdict = verdict
        self.score = score
        self.windows = windows
        self.model = model
        self.evidence = evidence
        self.action = action
        self.requestedBy = requestedBy
        self.acknowledgedBy = acknowledgedBy
        self.acknowledgedAt = acknowledgedAt
        self.closedBy = closedBy
        self.closedAt = closedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, time, sensor, event, level, rule, reason, host, verdict, score, windows, model, evidence, action
        case requestedBy = "requested_by", acknowledgedBy = "acknowledged_by", acknowledgedAt = "acknowledged_at"
        case closedBy = "closed_by", closedAt = "closed_at"
    }
}

/// `ack` and `close`: the alert as it is now.
public struct AlertFeedback: Codable, Hashable, Sendable {
    public var alert: AlertEntry
    /// Closing the host's open alert ended its episode.
    public var episodeEnded: Bool
    public init(alert: AlertEntry, episodeEnded: Bool) {
        self.alert = alert
        self.episodeEnded = episodeEnded
    }
    enum CodingKeys: String, CodingKey { case alert, episodeEnded = "episode_ended" }
}

/// `stats`: counters per interface, and inline mode's verdict counters.
public struct SensorStatistics: Codable, Hashable, Sendable {
    /// Inline mode's verdict counters (`accepted`, `dropped`, ...); absent outside inline mode.
    public var verdicts: JSONValue?
    public var interfaces: [InterfaceStatistics]

    public struct InterfaceStatistics: Codable, Hashable, Sendable {
        public var interface: String
        public var packetsPerSecond: Double
        public var bytesPerSecond: Double
        public var windowsDecided: Int
        public var windowsBelowFloor: Int
        /// The capture engine's counters (`packets`, `kernel_dropped`, `ring_dropped`, ...), since capture last
        /// (re)opened.
        public var counters: JSONValue
        /// While capture is down (the interface went away, a read error) and being reopened: since when (RFC 3339)
        /// and why; absent while it runs.
        public var captureDownSince: String?
        public var captureDownReason: String?
        /// Times capture was reopened after stopping by itself, and the seconds it was down in all.
        public var captureRestarts: Int?
        public var captureDownSeconds: Double?
        public init(interface: String, packetsPerSecond: Double, bytesPerSecond: Double, windowsDecided: Int,
                    windowsBelowFloor: Int, counters: JSONValue, captureDownSince: String? = nil,
                    captureDownReason: String? = nil, captureRestarts: Int? = nil, captureDownSeconds: Double? = nil) {
            self.interface = interface
            self.packetsPerSecond = packetsPerSecond
            self.bytesPerSecond = bytesPerSecond
            self.windowsDecided = windowsDecided
            self.windowsBelowFloor = windowsBelowFloor
            self.counters = counters
            self.captureDownSince = captureDownSince
            self.captureDownReason = captureDownReason
            self.captureRestarts = captureRestarts
            self.captureDownSeconds = captureDownSeconds
        }
        enum CodingKeys: String, CodingKey {
            case interface, packetsPerSecond = "packets_per_second", bytesPerSecond = "bytes_per_second"
            case windowsDecided = "windows_decided", windowsBelowFloor = "windows_below_floor", counters
            case captureDownSince = "capture_down_since", captureDownReason = "capture_down_reason"
            case captureRestarts = "capture_restarts", captureDownSeconds = "capture_down_seconds"
        }
    }

    /// What became of the alerts raised since the daemon started.
    public struct AlertDelivery: Codable, Hashable, Sendable {
        /// Alerts the alert store could not take (a full disk, an I/O error): neither stored nor sent.
        public var notStored: UInt64
        /// Each output's figures, in configuration order.
        public var outputs: [Output]

        /// One output (journald, a syslog collector, the JSON file).
        public struct Output: Codable, Hashable, Sendable {
            public var name: String
            /// Alerts it took (for syslog: sent on the socket).
            public var delivered: UInt64
            /// Alerts it lost: its queue was full or it failed (journald absent, a full disk).
            public var dropped: UInt64
            /// Alerts waiting for it.
            public var queued: Int
            /// Its last failure, if any.
            public var lastError: String?
            public init(name: String, delivered: UInt64, dropped: UInt64, queued: Int, lastError: String?) {
                self.name = name
                self.delivered = delivered
                self.dropped = dropped
                self.queued = queued
                self.lastError = lastError
            }
            enum CodingKeys: String, CodingKey {
                case name, delivered, dropped, queued, lastError = "last_error"
            }
        }

        public init(notStored: UInt64, outputs: [Output]) {
            self.notStored = notStored
            self.outputs = outputs
        }
        enum CodingKeys: String, CodingKey { case notStored = "not_stored", outputs }
    }

    /// Alert delivery figures; absent from daemons older than this field.
    public var alerts: AlertDelivery?

    public init(verdicts: JSONValue?, interfaces: [InterfaceStatistics], alerts: AlertDelivery? = nil) {
        self.verdicts = verdicts
        self.interfaces = interfaces
        self.alerts = alerts
    }
}

/// `model`: the loaded model file.
public struct ModelSummary: Codable, Hashable, Sendable {
    public var path: String
    public var id: String
    public var created: String
    public var intervalSeconds: Double
    public var windowSeconds: [Double]
    public var slideSeconds: Double
    /// How many features.
    public var features: Int
    /// The vote's settings, the held-out metrics and the training record, as the model file has them.
    public var vote: JSONValue
    public var metrics: JSONValue
    public var training: JSONValue

    public init(path: String, id: String, created: String, intervalSeconds: Double, windowSeconds: [Double],
                slideSeconds: Double, features: Int, vote: JSONValue, metrics: JSONValue, training: JSONValue) {
        self.path = path
        self.id = id
        self.created = created
        self.intervalSeconds = intervalSeconds
        self.windowSeconds = windowSeconds
        self.slideSeconds = slideSeconds
        self.features = features
        self.vote = vote
        self.metrics = metrics
        self.training = training
    }

    enum CodingKeys: String, CodingKey {
        case path, id, created, intervalSeconds = "interval_s", windowSeconds = "windows_s", slideSeconds = "slide_s"
        case features, vote, metrics, training
    }
}

/// `reload`: what was applied and what waits for a restart.
public struct ReloadSummary: Codable, Hashable, Sendable {
    public var model: String
    public var modelChanged: Bool
    public var applied: [String]
    public var pendingRestart: [String]
    public var poolDomains: Int
    public var listLinesSkipped: Int
    public var listProblems: [String]
    public var summary: String

    public init(model: String, modelChanged: Bool, applied: [String], pendingRestart: [String], poolDomains: Int,
                listLinesSkipped: Int, listProblems: [String], summary: String) {
        self.model = model
        self.modelChanged = modelChanged
        self.applied = applied
        self.pendingRestart = pendingRestart
        self.poolDomains = poolDomains
        self.listLinesSkipped = listLinesSkipped
        self.listProblems = listProblems
        self.summary = summary
    }

    enum CodingKeys: String, CodingKey {
        case model, modelChanged = "model_changed", applied, pendingRestart = "pending_restart"
        case poolDomains = "pool_domains", listLinesSkipped = "list_lines_skipped", listProblems = "list_problems"
        case summary
    }
}

/// `pause` and `resume`.
public struct PauseState: Codable, Hashable, Sendable {
    public var paused: Bool
    public init(paused: Bool) { self.paused = paused }
}

/// `benign`: the mark as made.
public struct BenignMarked: Codable, Hashable, Sendable {
    public var target: String
    public var reason: String
    public var until: String?
    public var requestedBy: String
    public init(target: String, reason: String, until: String?, requestedBy: String) {
        self.target = target
        self.reason = reason
        self.until = until
        self.requestedBy = requestedBy
    }
    enum CodingKeys: String, CodingKey { case target, reason, until, requestedBy = "requested_by" }
}

/// `unbenign`.
public struct TargetDone: Codable, Hashable, Sendable {
    public var target: String
    public var done: String
    public init(target: String, done: String) {
        self.target = target
        self.done = done
    }
}

/// `benign-list`.
public struct BenignMarks: Codable, Hashable, Sendable {
    public var benign: [Mark]

    public struct Mark: Codable, Hashable, Sendable {
        public var target: String
        public var reason: String
        public var requestedBy: String
        public var since: String
        public var until: String?
        /// Whether the mark holds now (not expired).
        public var holds: Bool
        /// Alerts it suppressed (for a host target).
        public var suppressed: Int?
        public init(target: String, reason: String, requestedBy: String, since: String, until: String?, holds: Bool,
                    suppressed: Int?) {
            self.target = target
            self.reason = reason
            self.requestedBy = requestedBy
            self.since = since
            self.until = until
            self.holds = holds
            self.suppressed = suppressed
        }
        enum CodingKeys: String, CodingKey {
            case target, reason, requestedBy = "requested_by", since, until, holds, suppressed
        }
    }

    public init(benign: [Mark]) { self.benign = benign }
}

/// `block`, `unblock`, `allow`, `disallow`.
public struct InlineDone: Codable, Hashable, Sendable {
    public var host: String
    public var done: String
    public var detail: String
    public var requestedBy: String
    /// Present outside inline mode, where nothing is blocked.
    public var note: String?
    public init(host: String, done: String, detail: String, requestedBy: String, note: String?) {
        self.host = host
        self.done = done
        self.detail = detail
        self.requestedBy = requestedBy
        self.note = note
    }
    enum CodingKeys: String, CodingKey { case host, done, detail, requestedBy = "requested_by", note }
}

/// One inline block.
public struct BlockEntry: Codable, Hashable, Sendable {
    public var host: String
    /// `evidence` (the remote endpoints named) or `all`.
    public var scope: String
    public var remotes: [String]
    /// `automatic` or `operator`.
    public var origin: String
    public var requestedBy: String
    public var since: String
    public init(host: String, scope: String, remotes: [String], origin: String, requestedBy: String, since: String) {
        self.host = host
        self.scope = scope
        self.remotes = remotes
        self.origin = origin
        self.requestedBy = requestedBy
        self.since = since
    }
    enum CodingKeys: String, CodingKey { case host, scope, remotes, origin, requestedBy = "requested_by", since }
}

/// `allowlist`.
public struct AllowlistState: Codable, Hashable, Sendable {
    public var allowlist: [Entry]
    public var blocks: [BlockEntry]

    public struct Entry: Codable, Hashable, Sendable {
        public var host: String
        public var requestedBy: String
        public var since: String
        public init(host: String, requestedBy: String, since: String) {
            self.host = host
            self.requestedBy = requestedBy
            self.since = since
        }
        enum CodingKeys: String, CodingKey { case host, requestedBy = "requested_by", since }
    }

    public init(allowlist: [Entry], blocks: [BlockEntry]) {
        self.allowlist = allowlist
        self.blocks = blocks
    }
}

/// `label`: the label as kept; one entry of `labels`.
public struct HostLabelEntry: Codable, Hashable, Sendable {
    public var host: String
    /// `mining` or `normal`.
    public var label: String
    public var note: String?
    public var requestedBy: String
    /// When it was labelled, RFC 3339.
    public var time: String
    /// Present when the label is kept but the label file could not be rewritten.
    public var warning: String?
    public init(host: String, label: String, note: String?, requestedBy: String, time: String, warning: String?) {
        self.host = host
        self.label = label
        self.note = note
        self.requestedBy = requestedBy
        self.time = time
        self.warning = warning
    }
    enum CodingKeys: String, CodingKey { case host, label, note, requestedBy = "requested_by", time, warning }
}

/// `labels`.
public struct HostLabelList: Codable, Hashable, Sendable {
    public var labels: [HostLabelEntry]
    /// The label file fleet learning reads (`coinsentry fleet windows --host-labels`).
    public var file: String
    public init(labels: [HostLabelEntry], file: String) {
        self.labels = labels
        self.file = file
    }
}
