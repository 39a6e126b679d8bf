/// The sensor's (`coinsentryd`'s) commands.
public enum SensorCommand: String, ControlCommandSet {
    case status, hosts, host, alerts, stats, model, reload, pause, resume, ack, close, benign, unbenign
    case alertGroups = "alert-groups"
    case benignList = "benign-list"
    case block, unblock, allow, disallow, allowlist, label, unlabel, labels
}

/// The sensor's requests, one type per command.
public enum SensorRequest {
    /// The sensor at a glance.
    public struct Status: ControlRequest {
        public typealias Reply = SensorStatus
        public static let command = SensorCommand.status
        public init() {}
    }

    /// Tracked hosts, *mining* first, then *suspect*, then the rest, each by the vote's score and traffic.
    ///
    /// The daemon filters, sorts and pages (``select(fromRanked:)``): a console asks for one page of tens of
    /// thousands of hosts, and the reply says how many matched (`total`).
    public struct Hosts: ControlRequest {
        public typealias Reply = HostList
        public static let command = SensorCommand.hosts
        /// How many hosts (default 20).
        public var top: Int?
        /// Only hosts at this level: `mining`, `suspect`, or `none` (at neither).
        public var level: String?
        /// Only hosts whose vote's score is at least this.
        public var minScore: Double?
        /// The order (default `rank`).
        public var sort: HostOrder?
        /// Smallest first (default: largest first; for `rank`, the daemon's order reversed).
        public var ascending: Bool?
        /// Hosts skipped, after filtering and sorting.
        public var offset: Int?

        public init(top: Int? = nil, level: String? = nil, minScore: Double? = nil, sort: HostOrder? = nil,
                    ascending: Bool? = nil, offset: Int? = nil) {
            self.top = top
            self.level = level
            self.minScore = minScore
            self.sort = sort
            self.ascending = ascending
            self.offset = offset
        }

        enum CodingKeys: String, CodingKey {
            case top, level, sort, ascending, offset
            case minScore = "min_score"
        }
    }

    /// One host in detail.
    public struct Host: ControlRequest {
        public typealias Reply = HostDetail
        public static let command = SensorCommand.host
        public var host: String
        /// The span of the traffic series, in seconds up to the host's latest traffic (within ``spans``): by minute up
        /// to an hour, by ten minutes up to six hours, by hour up to a day. Default: an hour.
        public var span: Int?
        public init(host: String, span: Int? = nil) {
            self.host = host
            self.span = span
        }

        /// The spans a sensor keeps: a minute to a day.
        public static let spans = 60...86_400
        /// The span when a request names none: an hour.
        public static let defaultSpan = 3_600
    }

    /// Alerts from the store, oldest first.
    public struct Alerts: ControlRequest {
        public typealias Reply = AlertList
        public static let command = SensorCommand.alerts
        /// Only alerts at or after this time.
        public var since: TimeValue?
        /// Only alerts at or before this time.
        public var until: TimeValue?
        public var host: String?
        /// `mining` or `suspect`.
        public var level: String?
        /// The rule that decided (`stratum`, `vote`, ...).
        public var rule: String?
        /// One of the alert events (`mining`, `suspect`, `cleared`, `reminder`, ...).
        public var event: String?
        /// The latest this many of the matching alerts (1 to ``maximumLimit``, the default), oldest first.
        public var limit: Int?
        /// The most alerts one reply carries.
        public static let maximumLimit = 10_000
        public init(since: TimeValue? = nil, until: TimeValue? = nil, host: String? = nil, level: String? = nil,
                    rule: String? = nil, event: String? = nil, limit: Int? = nil) {
            self.since = since
            self.until = until
            self.host = host
            self.level = level
            self.rule = rule
            self.event = event
            self.limit = limit
        }
    }

    /// The alerts ``Alerts`` selects, grouped by host and rule in the store: the `limit` groups (1 to
    /// ``Alerts/maximumLimit``, the default) with the latest alerts, latest first.
    public struct AlertGroups: ControlRequest {
        public typealias Reply = AlertGroupList
        public static let command = SensorCommand.alertGroups
        /// The alerts grouped (its `limit` counts groups).
        public var filter: Alerts

        public init(_ filter: Alerts) { self.filter = filter }

        public init(from decoder: any Decoder) throws { filter = try Alerts(from: decoder) }
        public func encode(to encoder: any Encoder) throws { try filter.encode(to: encoder) }
    }

    /// Capture and decision counters per interface.
    public struct Stats: ControlRequest {
        public typealias Reply = SensorStatistics
        public static let command = SensorCommand.stats
        public init() {}
    }

    /// The loaded model.
    public struct Model: ControlRequest {
        public typealias Reply = ModelSummary
        public static let command = SensorCommand.model
        public init() {}
    }

    /// Reload as SIGHUP does: configuration, pool-domain lists, pool model and model, all checked first.
    public struct Reload: ControlRequest {
        public typealias Reply = ReloadSummary
        public static let command = SensorCommand.reload
        public init() {}
    }

    /// Stop deciding and alerting (capture keeps counting).
    public struct Pause: ControlRequest {
        public typealias Reply = PauseState
        public static let command = SensorCommand.pause
        public init() {}
    }

    /// Decide and alert again.
    public struct Resume: ControlRequest {
        public typealias Reply = PauseState
        public static let command = SensorCommand.resume
        public init() {}
    }

    /// Acknowledge an alert (seen).
    public struct Acknowledge: ControlRequest {
        public typealias Reply = AlertFeedback
        public static let command = SensorCommand.ack
        public var id: Int64
        public init(id: Int64) { self.id = id }
    }

    /// Close an alert; closing a host's open alert ends its episode.
    public struct Close: ControlRequest {
        public typealias Reply = AlertFeedback
        public static let command = SensorCommand.close
        public var id: Int64
        public init(id: Int64) { self.id = id }
    }

    /// Mark a host or remote endpoint (`IP`, `IP:PORT`, `[IPv6]:PORT`) benign, for `seconds` or for good.
    public struct Benign: ControlRequest {
        public typealias Reply = BenignMarked
        public static let command = SensorCommand.benign
        public var target: String
        public var reason: String
        public var seconds: Double?
        public init(target: String, reason: String, seconds: Double? = nil) {
            self.target = target
            self.reason = reason
            self.seconds = seconds
        }
    }

    /// Remove a benign mark.
    public struct Unbenign: ControlRequest {
        public typealias Reply = TargetDone
        public static let command = SensorCommand.unbenign
        public var target: String
        public init(target: String) { self.target = target }
    }

    /// The benign marks.
    public struct BenignList: ControlRequest {
        public typealias Reply = BenignMarks
        public static let command = SensorCommand.benignList
        public init() {}
    }

    /// Inline mode: drop a host's mining traffic (`all`: all its traffic).
    public struct Block: ControlRequest {
        public typealias Reply = InlineDone
        public static let command = SensorCommand.block
        public var host: String
        public var all: Bool?
        public init(host: String, all: Bool = false) {
            self.host = host
            self.all = all
        }
    }

    /// Inline mode: stop dropping a host's traffic.
    public struct Unblock: ControlRequest {
        public typealias Reply = InlineDone
        public static let command = SensorCommand.unblock
        public var host: String
        public init(host: String) { self.host = host }
    }

    /// Inline mode: never block a host.
    public struct Allow: ControlRequest {
        public typealias Reply = InlineDone
        public static let command = SensorCommand.allow
        public var host: String
        public init(host: String) { self.host = host }
    }

    /// Inline mode: take a host off the allowlist.
    public struct Disallow: ControlRequest {
        public typealias Reply = InlineDone
        public static let command = SensorCommand.disallow
        public var host: String
        public init(host: String) { self.host = host }
    }

    /// The allowlist and the hosts blocked now.
    public struct Allowlist: ControlRequest {
        public typealias Reply = AllowlistState
        public static let command = SensorCommand.allowlist
        public init() {}
    }

    /// Label a local host `mining` or `normal` for fleet learning's local training (replacing its label).
    public struct Label: ControlRequest {
        public typealias Reply = HostLabelEntry
        public static let command = SensorCommand.label
        /// The host's IP address.
        public var host: String
        /// `mining` or `normal`.
        public var label: String
        /// The operator's words, one line.
        public var note: String?
        public init(host: String, label: String, note: String? = nil) {
            self.host = host
            self.label = label
            self.note = note
        }
    }

    /// Take a host's label away.
    public struct Unlabel: ControlRequest {
        public typealias Reply = TargetDone
        public static let command = SensorCommand.unlabel
        public var host: String
        public init(host: String) { self.host = host }
    }

    /// The operators' host labels and the label file they are written to.
    public struct Labels: ControlRequest {
        public typealias Reply = HostLabelList
        public static let command = SensorCommand.labels
        public init() {}
    }
}

/// A time as a request gives it: seconds since 1970, or RFC 3339 text.
public enum TimeValue: Codable, Hashable, Sendable {
    case seconds(Double)
    case text(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Double.self) {
            self = .seconds(seconds)
        } else if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription:
                "seconds since 1970 or an RFC 3339 time")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .seconds(let seconds): try container.encode(seconds)
        case .text(let text): try container.encode(text)
        }
    }
}
