import Alerting
import Capture
import Control
import DaemonSupport
import Foundation
import Prometheus
import Sensor
import Synchronization

/// The sensor's figures in the Prometheus text format (swift-prometheus), for `/metrics`.
///
/// Most counters already live in the capture thread and the engine; at each scrape they are read from a snapshot and
/// the registry's counters advanced to them (a counter only goes up: a capture restarted from zero leaves it where it
/// was). Alerts are counted as they are raised. Names follow Prometheus practice: `coinsentry_` prefix, `_total` on
/// counters, base units, no per-host label.
public final class SensorMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let alerts: AlertPipeline
    private let mirrored: CounterMirror
    private let reloadedAt = Mutex<Date?>(nil)

    /// - Parameter alerts: the alert pipeline, for what its store could not take and each sink's delivered and
    ///   dropped counts.
    public init(alerts: AlertPipeline) {
        self.alerts = alerts
        mirrored = CounterMirror(registry: registry)
        registry.makeGauge(name: "coinsentry_build_info", labels: [("version", CoinSentryVersion.current)],
                           help: "The running CoinSentry release (always 1).").set(1.0)
    }

    /// Records the time one window took to score (features, model and vote; an interval close's time over its
    /// windows).
    public func observeScoring(_ duration: Duration) {
        registry.makeDurationHistogram(
            name: "coinsentry_window_scoring_seconds", labels: [],
            buckets: [.microseconds(10), .microseconds(25), .microseconds(50), .microseconds(100),
                      .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(25)],
            help: "Time to score one host window: features, model and vote.").record(duration)
    }

    /// Counts an alert as it is raised, by event and level.
    public func count(_ alert: AlertRecord) {
        registry.makeCounter(name: "coinsentry_alerts_total",
                             labels: [("event", alert.event.rawValue), ("level", alert.level?.rawValue ?? "none"),
                                      ("rule", alert.rule ?? "none")],
                             help: "Alerts raised, by event, level and rule.").increment()
        if alert.event == .audit, alert.verdict == "reload" {
            reloadedAt.withLock { $0 = alert.time }
        }
    }

    /// The exposition text of every metric, refreshed from `engine` now.
    public func exposition(of engine: SensorEngine) -> [UInt8] {
        refresh(from: engine.snapshot())
        return registry.emitToBuffer()
    }

    private func refresh(from snapshot: SensorEngine.Snapshot) {
        for entry in snapshot.interfaces {
            let statistics = entry.statistics
            let interface = [("interface", entry.name)]
            mirror("coinsentry_packets_total", interface, statistics.packets, "Packets captured.")
            mirror("coinsentry_bytes_total", interface, statistics.bytes, "IP bytes captured.")
            for (cause, value) in [("kernel", statistics.kernelDropped), ("interface", statistics.interfaceDropped),
                                   ("ring", statistics.ringDropped)] {
                mirror("coinsentry_dropped_packets_total", interface + [("cause", cause)], value,
                       "Packets lost before counting, by where.")
            }
            for (cause, value) in [("malformed", statistics.malformed), ("not_ip", statistics.notIP),
                                   ("not_local", statistics.notLocal), ("host_table_full", statistics.hostTableFull)] {
                mirror("coinsentry_uncounted_packets_total", interface + [("cause", cause)], value,
                       "Packets seen but attributed to no host, by cause.")
            }
            mirror("coinsentry_malformed_messages_total", interface + [("protocol", "dns")], statistics.dnsMalformed,
                   "DNS messages and TLS ClientHellos that could not be read.")
            mirror("coinsentry_malformed_messages_total", interface + [("protocol", "tls")], statistics.tlsMalformed,
                   "DNS messages and TLS ClientHellos that could not be read.")
            registry.makeGauge(name: "coinsentry_hosts_tracked", labels: interface,
                               help: "Local hosts the capture thread tracks now.").set(Double(statistics.hostsTracked))
            mirror("coinsentry_hosts_expired_total", interface, statistics.hostsExpired, "Hosts forgotten when idle.")
            registry.makeGauge(name: "coinsentry_flows_tracked", labels: interface,
                               help: "TCP flows the capture thread tracks now.").set(Double(statistics.flowsTracked))
            mirror("coinsentry_flows_evicted_total", interface, statistics.flowsEvicted,
                   "Flows pushed out of a full flow table.")
            mirror("coinsentry_windows_scored_total", interface, UInt64(entry.windowsDecided),
                   "Host windows the model scored.")
            mirror("coinsentry_windows_below_floor_total", interface, UInt64(entry.windowsBelowFloor),
                   "Host windows left out of the vote for too few packets.")
            registry.makeGauge(name: "coinsentry_capture_up", labels: interface,
                               help: "1 while capture on the interface runs, 0 while it is being reopened or its link is down.")
                .set(entry.down == nil ? 1.0 : 0.0)
            mirror("coinsentry_capture_restarts_total", interface, UInt64(entry.restarts),
                   "Times capture was reopened after it stopped by itself.")
        }
        for rule in VerdictFusion.Rule.allCases {
            guard let level = rule.level else { continue }
            registry.makeGauge(name: "coinsentry_hosts", labels: [("level", level.rawValue), ("rule", rule.rawValue)],
                               help: "Hosts whose verdict is at this level now, by the rule that decided.")
                .set(Double(snapshot.hosts.filter { $0.level == level && $0.fused.rule == rule }.count))
        }
        registry.makeGauge(name: "coinsentry_open_episodes", help: "Hosts with an open alert episode.")
            .set(Double(snapshot.episodes.count))
        registry.makeGauge(name: "coinsentry_model_info", labels: [("id", snapshot.model.file.id)],
                           help: "The statistical model in use (always 1).").set(1.0)
        if let reloaded = reloadedAt.withLock({ $0 }) {
            registry.makeGauge(name: "coinsentry_last_reload_timestamp_seconds",
                               help: "When the last reload was asked for (seconds since 1970).")
                .set(reloaded.timeIntervalSince1970)
        }
        mirror("coinsentry_alerts_not_stored_total", [], alerts.notStored,
               "Alerts the alert store could not take (full disk, I/O error): neither stored nor sent.")
        for sink in alerts.dispatcher.statistics {
            mirror("coinsentry_sink_delivered_total", [("sink", sink.name)], sink.delivered,
                   "Alerts an output delivered.")
            mirror("coinsentry_sink_dropped_total", [("sink", sink.name)], sink.dropped,
                   "Alerts an output could not deliver (queue full or the output failing).")
        }
    }

    private func mirror(_ name: String, _ labels: [(String, String)], _ value: UInt64, _ help: String) {
        mirrored.advance(name, labels, to: value, help: help)
    }
}
