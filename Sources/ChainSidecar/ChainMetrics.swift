import Alerting
import ChainIngest
import Control
import DaemonSupport
import Foundation
import Prometheus
import Synchronization

/// The chain sidecar's figures in the Prometheus text format, for `/metrics`: blocks and transactions ingested, the
/// stored height, reorganisations, cycles and their time, classification and pattern runs, alerts and sink deliveries.
/// Names follow Prometheus practice: `coinsentry_chain_` prefix, `_total` on counters, base units.
public final class ChainMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let mirrored: CounterMirror
    /// The alert dispatcher whose sinks' totals are served (replaced on reload).
    private let dispatcher = Mutex<AlertDispatcher?>(nil)

    public init() {
        mirrored = CounterMirror(registry: registry)
        registry.makeGauge(name: "coinsentry_chain_build_info", labels: [("version", CoinSentryVersion.current)],
                           help: "The running CoinSentry release (always 1).").set(1.0)
        // Present from the first scrape, at zero, so that rates and alerts on them work before the first event.
        for result in ["ok", "failed"] { cycles(result).increment(by: Int64(0)) }
        for counter in [blocks, transactions, reorgs, rolledBack, patternRuns, classifications, alerts] {
            counter.increment(by: Int64(0))
        }
    }

    private var blocks: Counter {
        registry.makeCounter(name: "coinsentry_chain_blocks_ingested_total", help: "Blocks stored.")
    }
    private var transactions: Counter {
        registry.makeCounter(name: "coinsentry_chain_transactions_ingested_total", help: "Transactions stored.")
    }
    private var reorgs: Counter {
        registry.makeCounter(name: "coinsentry_chain_reorgs_total", help: "Reorganisations of the source's chain.")
    }
    private var rolledBack: Counter {
        registry.makeCounter(name: "coinsentry_chain_blocks_rolled_back_total",
                             help: "Blocks removed because the source's chain reorganised.")
    }
    private var patternRuns: Counter {
        registry.makeCounter(name: "coinsentry_chain_pattern_runs_total", help: "Recurring-pattern detections run.")
    }
    private var classifications: Counter {
        registry.makeCounter(name: "coinsentry_chain_classifications_total",
                             help: "Addresses classified (watchlist checks and address queries).")
    }
    private var alerts: Counter {
        registry.makeCounter(name: "coinsentry_chain_alerts_total", help: "Watchlist alerts raised.")
    }
    private func cycles(_ result: String) -> Counter {
        registry.makeCounter(name: "coinsentry_chain_cycles_total", labels: [("result", result)],
                             help: "Ingestion and analysis cycles, by result.")
    }

    /// Records one cycle: what it stored, whether the chain reorganised, how long it took.
    func cycle(_ summary: IngestSummary?, duration: Duration) {
        cycles(summary == nil ? "failed" : "ok").increment()
        registry.makeDurationHistogram(
            name: "coinsentry_chain_cycle_seconds", labels: [],
            buckets: [.milliseconds(10), .milliseconds(100), .seconds(1), .seconds(10), .seconds(60), .seconds(600)],
            help: "Time of one cycle: ingestion, features, watchlist, patterns.").record(duration)
        guard let summary else { return }
        blocks.increment(by: Int64(summary.written.blocks))
        transactions.increment(by: Int64(summary.written.transactions))
        if summary.rolledBackBlocks > 0 {
            reorgs.increment()
            rolledBack.increment(by: Int64(summary.rolledBackBlocks))
        }
        if let tip = summary.tipHeight {
            registry.makeGauge(name: "coinsentry_chain_height", help: "Height of the stored chain's tip.")
                .set(Double(tip))
        }
    }

    func patternsDetected(_ count: Int) {
        patternRuns.increment()
        registry.makeGauge(name: "coinsentry_chain_patterns", help: "Recurring patterns found by the last run.")
            .set(Double(count))
    }

    func classified(_ count: Int = 1) { classifications.increment(by: Int64(count)) }

    func raised(_ count: Int) { alerts.increment(by: Int64(count)) }

    func watching(_ count: Int) {
        registry.makeGauge(name: "coinsentry_chain_watched_addresses", help: "Addresses on the watchlist.")
            .set(Double(count))
    }

    func deliveries(from dispatcher: AlertDispatcher) { self.dispatcher.withLock { $0 = dispatcher } }

    /// The exposition text, with the alert sinks' totals as they are now.
    public func exposition() -> [UInt8] {
        for sink in dispatcher.withLock({ $0 })?.statistics ?? [] {
            mirrored.advance("coinsentry_chain_sink_delivered_total", [("sink", sink.name)], to: sink.delivered,
                             help: "Alerts an output delivered.")
            mirrored.advance("coinsentry_chain_sink_dropped_total", [("sink", sink.name)], to: sink.dropped,
                             help: "Alerts an output could not deliver (queue full or the output failing).")
        }
        return registry.emitToBuffer()
    }
}
