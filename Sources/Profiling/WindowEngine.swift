import Traces

/// Per-host sliding windows over interval counters, updated incrementally.
///
/// Events, in order of time:
/// - `record(host:intervalIndex:counters:)` for each host with traffic in the open interval (several records of one
///   host and interval are summed);
/// - `intervalClosed(_:)` when an interval ends: every tracked host absent from it had no traffic in it. On every
///   slide boundary (`(index + 1) % slide == 0`) it returns the windows of the hosts whose longest window is covered
///   and whose shortest window holds at least one packet (a window with no packets gives no features);
/// - `discontinuity()` when time jumped (clock step, capture restart): all history is dropped.
///
/// A host's history before it was first seen counts as silence, as far back as the engine has been running. A host
/// silent for a whole longest window is forgotten. Memory per host is one `CounterRing` of the longest window.
public struct WindowEngine<Host: Hashable & Sendable>: Sendable {
    /// The settings the windows follow.
    public let settings: WindowSettings
    /// The extractor that turns windows into feature vectors.
    public let extractor: FeatureExtractor
    /// The most hosts tracked at once; traffic of further hosts is dropped and counted.
    public let maximumHosts: Int

    private var hosts: [Host: HostHistory] = [:]
    private var lastClosed: Int64?
    /// Intervals closed since the start or the last discontinuity.
    private var intervalsSeen = 0
    private let history: Int
    private let shortest: Int
    private let slide: Int64

    /// Records dropped because the host table was full.
    public private(set) var droppedForCapacity = 0
    /// Records dropped because their interval was already closed.
    public private(set) var droppedLate = 0

    /// - Throws: `WindowSettingsError` when the settings cannot be honoured.
    public init(settings: WindowSettings, maximumHosts: Int = 1 << 20) throws(WindowSettingsError) {
        try settings.validate()
        self.settings = settings
        extractor = FeatureExtractor(settings: settings)
        self.maximumHosts = maximumHosts
        history = settings.historyIntervals
        shortest = settings.windowIntervals[0]
        slide = Int64(settings.slideIntervals)
    }

    /// Hosts currently tracked.
    public var trackedHosts: Int { hosts.count }

    /// Adds a host's counters for the open interval.
    public mutating func record(host: Host, intervalIndex: Int64, counters: IntervalCounters) {
        if let lastClosed, intervalIndex <= lastClosed {
            droppedLate += 1
            return
        }
        if hosts[host] == nil {
            guard hosts.count < maximumHosts else {
                droppedForCapacity += 1
                return
            }
            hosts[host] = HostHistory(capacity: history, covered: min(intervalsSeen, history))
        }
        hosts[host]!.add(counters, at: intervalIndex)
    }

    /// Closes an interval and returns the windows that end with it (empty off slide boundaries).
    ///
    /// Indices must increase; a skipped index counts as closed silently (no host had traffic). An index at or before
    /// the last closed one is ignored.
    public mutating func intervalClosed(_ intervalIndex: Int64) -> [HostWindow<Host>] {
        let skipped: Int
        if let lastClosed {
            guard intervalIndex > lastClosed else { return [] }
            skipped = Int(min(intervalIndex - lastClosed - 1, Int64(history)))
        } else {
            skipped = 0
        }
        lastClosed = intervalIndex
        intervalsSeen = min(intervalsSeen + skipped + 1, history)
        let emits = (intervalIndex + 1) % slide == 0
        var windows = [HostWindow<Host>]()
        var forgotten = [Host]()
        // Values are mutated in place through indices: iterating `keys` would copy the whole table on first write.
        var index = hosts.startIndex
        while index != hosts.endIndex {
            defer { hosts.formIndex(after: &index) }
            let outcome = hosts.values[index].close(intervalIndex, skipped: skipped)
            if outcome.silentForWholeHistory {
                forgotten.append(hosts.keys[index])
                continue
            }
            guard emits, outcome.covered >= history, outcome.lastTraffic > intervalIndex - Int64(shortest) else {
                continue
            }
            windows.append(HostWindow(
                host: hosts.keys[index], endInterval: intervalIndex,
                features: extractor.features(of: hosts.values[index].ring),
                packets: hosts.values[index].ring.packets(newest: history)))
        }
        for key in forgotten { hosts[key] = nil }
        return windows
    }

    /// Drops all history: time jumped, so no window may span the jump.
    public mutating func discontinuity() {
        hosts.removeAll()
        lastClosed = nil
        intervalsSeen = 0
    }

    /// Heap bytes held for one tracked host's history (its ring), excluding the table entry.
    public var historyBytesPerHost: Int { CounterRing(capacity: history).heapBytes }
}

/// One host's ring plus the interval being filled.
private struct HostHistory: Sendable {
    var ring: CounterRing
    var pending = IntervalCounters.zero
    var pendingIndex: Int64 = .min
    var covered: Int
    var lastTraffic: Int64 = .min

    init(capacity: Int, covered: Int) {
        ring = CounterRing(capacity: capacity)
        self.covered = covered
    }

    mutating func add(_ counters: IntervalCounters, at index: Int64) {
        if pendingIndex != index {
            pending = .zero
            pendingIndex = index
        }
        pending += counters
    }

    mutating func close(
        _ index: Int64, skipped: Int
    ) -> (covered: Int, lastTraffic: Int64, silentForWholeHistory: Bool) {
        if skipped > 0 { ring.appendZeros(skipped) }
        if pendingIndex == index, !pending.isZero {
            ring.append(pending)
            lastTraffic = index
        } else {
            ring.append(.zero)
        }
        if pendingIndex <= index { pendingIndex = .min }
        covered = min(covered + skipped + 1, ring.capacity)
        let silent = lastTraffic <= index - Int64(ring.capacity)
        return (covered, lastTraffic, silent)
    }
}
