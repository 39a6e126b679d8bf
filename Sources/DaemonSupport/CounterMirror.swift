import Prometheus
import Synchronization

/// Prometheus counters that follow totals kept elsewhere (the capture thread's, an alert sink's): at each scrape the
/// counter is advanced by what the total grew, never back. A total below the last one seen is a source that started
/// again from zero (a capture reopened): the counter then advances by the new total.
public final class CounterMirror: Sendable {
    private let registry: PrometheusCollectorRegistry
    /// The last total each counter was advanced to, by name and labels.
    private let seen = Mutex<[String: UInt64]>([:])

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Advances the counter `name{labels}` to `total`.
    public func advance(_ name: String, _ labels: [(String, String)], to total: UInt64, help: String) {
        let key = name + labels.map { "|\($0.0)=\($0.1)" }.joined()
        let delta = seen.withLock { seen -> UInt64 in
            let last = seen[key] ?? 0
            seen[key] = total
            return total >= last ? total - last : total
        }
        let counter = registry.makeCounter(name: name, labels: labels, help: help)
        if delta > 0 { counter.increment(by: Int64(clamping: delta)) }
    }
}
