import Capture
import Detection
import Sensor

/// Host-level outcome of capture files replayed through the sensor's own path (capture → windows → model → vote),
/// the way `coinsentryd` would have decided on the same traffic.
///
/// A mining host counts as detected when it gets a *mining* verdict at any time; its latency is the time from its
/// first interval with traffic to the end of the window that decided it. Every change to *mining* on a normal host is
/// one false alarm; false alarms are reported per host-hour of observed traffic (first to last active interval).
struct CaptureEvaluation: Encodable {
    struct HostOutcome: Encodable {
        var capture: String
        var host: String
        var label: String
        var observedSeconds: Double
        var alarms: Int
        var latencySeconds: Double?

        enum CodingKeys: String, CodingKey {
            case capture, host, label, alarms
            case observedSeconds = "observed_s"
            case latencySeconds = "latency_s"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(capture, forKey: .capture)
            try container.encode(host, forKey: .host)
            try container.encode(label, forKey: .label)
            try container.encode(observedSeconds, forKey: .observedSeconds)
            try container.encode(alarms, forKey: .alarms)
            try container.encode(latencySeconds, forKey: .latencySeconds)
        }
    }

    struct Summary: Encodable {
        var miningHosts = 0
        var detected = 0
        var normalHosts = 0
        var normalHostsAlarmed = 0
        var falseAlarms = 0
        var normalHostHours = 0.0
        var medianLatencySeconds: Double?

        var recall: Double? { miningHosts == 0 ? nil : Double(detected) / Double(miningHosts) }
        var falseAlarmsPerHostHour: Double? {
            normalHostHours == 0 ? nil : Double(falseAlarms) / normalHostHours
        }

        enum CodingKeys: String, CodingKey {
            case miningHosts = "mining_hosts", detected, recall, normalHosts = "normal_hosts"
            case normalHostsAlarmed = "normal_hosts_alarmed", falseAlarms = "false_alarms"
            case normalHostHours = "normal_host_hours", falseAlarmsPerHostHour = "false_alarms_per_host_hour"
            case medianLatencySeconds = "median_latency_s"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(miningHosts, forKey: .miningHosts)
            try container.encode(detected, forKey: .detected)
            try container.encode(recall, forKey: .recall)
            try container.encode(normalHosts, forKey: .normalHosts)
            try container.encode(normalHostsAlarmed, forKey: .normalHostsAlarmed)
            try container.encode(falseAlarms, forKey: .falseAlarms)
            try container.encode(normalHostHours, forKey: .normalHostHours)
            try container.encode(falseAlarmsPerHostHour, forKey: .falseAlarmsPerHostHour)
            try container.encode(medianLatencySeconds, forKey: .medianLatencySeconds)
        }
    }

    var hosts: [HostOutcome] = []
    var summary = Summary()

    /// Adds the hosts of one replayed capture. `isMining` labels a host; hosts it returns nil for are left out.
    mutating func add(capture: String, result: Replay.Result, isMining: (HostAddress) -> Bool?) {
        let changes = Dictionary(grouping: result.changes.filter { $0.fused.isMining }, by: \.host)
        for (host, active) in result.recorder.activeIntervals.sorted(by: { $0.key < $1.key }) {
            guard let mining = isMining(host) else { continue }
            let onsets = changes[host] ?? []
            let latency = onsets.map(\.interval).min().map { Double($0 + 1 - active.lowerBound) * result.interval }
            let observed = Double(active.upperBound - active.lowerBound + 1) * result.interval
            hosts.append(HostOutcome(capture: capture, host: "\(host)", label: mining ? "mining" : "normal",
                                     observedSeconds: observed, alarms: onsets.count, latencySeconds: latency))
        }
        summarise()
    }

    private mutating func summarise() {
        var summary = Summary()
        var latencies = [Double]()
        for outcome in hosts {
            if outcome.label == "mining" {
                summary.miningHosts += 1
                if let latency = outcome.latencySeconds {
                    summary.detected += 1
                    latencies.append(latency)
                }
            } else {
                summary.normalHosts += 1
                summary.falseAlarms += outcome.alarms
                if outcome.alarms > 0 { summary.normalHostsAlarmed += 1 }
                summary.normalHostHours += outcome.observedSeconds / 3600
            }
        }
        latencies.sort()
        summary.medianLatencySeconds = latencies.isEmpty ? nil : latencies[latencies.count / 2]
        self.summary = summary
    }
}
