import Capture
import Detection

/// Host-level outcome of capture files replayed through the sensor's own path (capture → windows → model → vote →
/// fused verdict), the way `coinsentryd` would have decided and alerted on the same traffic, level by level.
///
/// Alerts are counted as the daemon raises them: one per episode (`EpisodeTracker`, with the daemon's hold period,
/// on packet time), plus one when an episode rises from *suspect* to *mining*. A mining host counts as detected at a
/// level when it gets a verdict of that level (or higher) at any time; its latency is the time from its first
/// interval with traffic to the end of the window that decided it. Alerts on a normal host are false alarms, reported
/// per host-hour of observed traffic (first to last active interval).
public struct CaptureEvaluation: Encodable, Sendable {
    public struct HostOutcome: Encodable, Sendable {
        public var capture: String
        public var host: String
        public var label: String
        public var observedSeconds: Double
        /// Alerts at the *mining* level (episodes opened at it, and rises to it).
        public var alarms: Int
        /// Episodes opened at the *suspect* level.
        public var suspectAlarms: Int
        /// Seconds to the first *mining* verdict.
        public var latencySeconds: Double?
        /// Seconds to the first verdict of either level.
        public var suspectLatencySeconds: Double?

        enum CodingKeys: String, CodingKey {
            case capture, host, label, alarms
            case suspectAlarms = "suspect_alarms"
            case observedSeconds = "observed_s"
            case latencySeconds = "latency_s"
            case suspectLatencySeconds = "suspect_or_mining_latency_s"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(capture, forKey: .capture)
            try container.encode(host, forKey: .host)
            try container.encode(label, forKey: .label)
            try container.encode(observedSeconds, forKey: .observedSeconds)
            try container.encode(alarms, forKey: .alarms)
            try container.encode(suspectAlarms, forKey: .suspectAlarms)
            try container.encode(latencySeconds, forKey: .latencySeconds)
            try container.encode(suspectLatencySeconds, forKey: .suspectLatencySeconds)
        }
    }

    /// The figures of one level: mining hosts that reached it and how fast; normal hosts that got an alert of it.
    public struct LevelSummary: Encodable, Sendable {
        public var detected = 0
        public var recall: Double?
        public var medianLatencySeconds: Double?
        public var worstLatencySeconds: Double?
        public var normalHostsAlarmed = 0
        public var falseAlarms = 0
        public var falseAlarmsPerHostHour: Double?

        enum CodingKeys: String, CodingKey {
            case detected, recall
            case medianLatencySeconds = "median_latency_s", worstLatencySeconds = "worst_latency_s"
            case normalHostsAlarmed = "normal_hosts_alarmed", falseAlarms = "false_alarms"
            case falseAlarmsPerHostHour = "false_alarms_per_host_hour"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(detected, forKey: .detected)
            try container.encode(recall, forKey: .recall)
            try container.encode(medianLatencySeconds, forKey: .medianLatencySeconds)
            try container.encode(worstLatencySeconds, forKey: .worstLatencySeconds)
            try container.encode(normalHostsAlarmed, forKey: .normalHostsAlarmed)
            try container.encode(falseAlarms, forKey: .falseAlarms)
            try container.encode(falseAlarmsPerHostHour, forKey: .falseAlarmsPerHostHour)
        }
    }

    /// `detected`, `recall`, the latencies and the false alarms at the top are the *mining* level's (what an operator
    /// acts on); `suspect` counts alerts of the *suspect* level, with detection at either level.
    public struct Summary: Encodable, Sendable {
        public var miningHosts = 0
        public var normalHosts = 0
        public var normalHostHours = 0.0
        public var mining = LevelSummary()
        public var suspect = LevelSummary()

        enum CodingKeys: String, CodingKey {
            case miningHosts = "mining_hosts", normalHosts = "normal_hosts", normalHostHours = "normal_host_hours"
            case suspect
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(miningHosts, forKey: .miningHosts)
            try container.encode(normalHosts, forKey: .normalHosts)
            try container.encode(normalHostHours, forKey: .normalHostHours)
            try container.encode(suspect, forKey: .suspect)
            // The mining level's fields sit at the top, beside the counts.
            try mining.encode(to: encoder)
        }
    }

    /// Seconds an episode stays open without a rule holding (the daemon's `alerts.episode_hold_seconds`).
    public var episodeHoldSeconds: Double
    public var hosts: [HostOutcome] = []
    public var summary = Summary()

    public init(episodeHoldSeconds: Double = 1800) {
        self.episodeHoldSeconds = episodeHoldSeconds
    }

    enum CodingKeys: String, CodingKey {
        case hosts, summary, episodeHoldSeconds = "episode_hold_s"
    }

    /// Adds the hosts of one replayed capture. `isMining` labels a host; hosts it returns nil for are left out.
    public mutating func add(capture: String, result: OfflineReplay.Result, isMining: (HostAddress) -> Bool?) {
        // A change is known when it is made: a window's change carries its window's end, which in a replay batch can
        // come after evidence of a later interval, so times run no earlier than any change made before.
        var latest = Int64.min
        let timed = result.changes.map { change -> VerdictChange in
            latest = max(latest, change.interval)
            var known = change
            known.interval = latest
            return known
        }
        let changes = Dictionary(grouping: timed, by: \.host)
        for (host, active) in result.recorder.activeIntervals.sorted(by: { $0.key < $1.key }) {
            guard let mining = isMining(host) else { continue }
            var episodes = EpisodeTracker(holdSeconds: episodeHoldSeconds)
            var alarms = 0, suspectAlarms = 0
            var firstMining: Int64?, firstAny: Int64?
            for change in changes[host] ?? [] {
                let time = Double(change.interval + 1) * result.interval
                _ = episodes.due(at: time) { _ in nil }
                let level = change.fused.level
                if level == .mining, firstMining == nil { firstMining = change.interval }
                if level != nil, firstAny == nil { firstAny = change.interval }
                switch episodes.verdictChanged(host, to: level, because: change.clearedBecause, at: time) {
                case .opened(.mining), .rose(.mining): alarms += 1
                case .opened(.suspect): suspectAlarms += 1
                default: break
                }
            }
            let latency = { (interval: Int64?) in interval.map { Double($0 + 1 - active.lowerBound) * result.interval } }
            let observed = Double(active.upperBound - active.lowerBound + 1) * result.interval
            hosts.append(HostOutcome(capture: capture, host: "\(host)", label: mining ? "mining" : "normal",
                                     observedSeconds: observed, alarms: alarms, suspectAlarms: suspectAlarms,
                                     latencySeconds: latency(firstMining),
                                     suspectLatencySeconds: latency(firstAny)))
        }
        summarise()
    }

    private mutating func summarise() {
        var summary = Summary()
        var latencies = (mining: [Double](), any: [Double]())
        for outcome in hosts {
            if outcome.label == "mining" {
                summary.miningHosts += 1
                if let latency = outcome.latencySeconds {
                    summary.mining.detected += 1
                    latencies.mining.append(latency)
                }
                if let latency = outcome.suspectLatencySeconds {
                    summary.suspect.detected += 1
                    latencies.any.append(latency)
                }
            } else {
                summary.normalHosts += 1
                summary.normalHostHours += outcome.observedSeconds / 3600
                summary.mining.falseAlarms += outcome.alarms
                if outcome.alarms > 0 { summary.mining.normalHostsAlarmed += 1 }
                summary.suspect.falseAlarms += outcome.suspectAlarms
                if outcome.suspectAlarms > 0 { summary.suspect.normalHostsAlarmed += 1 }
            }
        }
        for (keyPath, values) in [(\Summary.mining, latencies.mining), (\Summary.suspect, latencies.any)] {
            let sorted = values.sorted()
            let middle = sorted.count / 2
            summary[keyPath: keyPath].medianLatencySeconds = sorted.isEmpty ? nil
                : sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
            summary[keyPath: keyPath].worstLatencySeconds = sorted.last
            summary[keyPath: keyPath].recall = summary.miningHosts == 0
                ? nil : Double(summary[keyPath: keyPath].detected) / Double(summary.miningHosts)
            summary[keyPath: keyPath].falseAlarmsPerHostHour = summary.normalHostHours == 0
                ? nil : Double(summary[keyPath: keyPath].falseAlarms) / summary.normalHostHours
        }
        self.summary = summary
    }
}
