import Traces

/// Collects capture events into per-host totals and, when asked, each host's full interval series.
///
/// Series run on one continuous timeline: silence between intervals becomes zero rows, and a discontinuity (a jump in
/// time beyond the configured gap) joins the series end to end, without filling the jump.
public struct HostSeriesRecorder: Sendable {
    /// Total traffic per host over the whole capture.
    public var totals: [HostAddress: IntervalCounters] {
        Dictionary(uniqueKeysWithValues: hosts.map { ($0.host, $0.totals) })
    }
    /// The busiest remote endpoints per host, as last reported (hosts whose list was never reported are absent).
    public var busiestRemotes: [HostAddress: EndpointList] {
        Dictionary(uniqueKeysWithValues: hosts.lazy.filter { !$0.busiestRemotes.isEmpty }.map { ($0.host, $0.busiestRemotes) })
    }
    /// The first and last interval index in which each host had traffic.
    public var activeIntervals: [HostAddress: ClosedRange<Int64>] {
        Dictionary(uniqueKeysWithValues: hosts.map { ($0.host, $0.firstIndex...$0.lastIndex) })
    }
    /// Discontinuities met (each one joins series end to end).
    public private(set) var discontinuities = 0
    /// Mining protocol sessions per host, in the order first reported; a session reported again (another flow to the
    /// same remote endpoint with the same dialect, role and worker) is kept once.
    public private(set) var evidence: [HostAddress: [MiningEvidence]] = [:]
    /// Pool names per host, in the order first seen; the same name seen again the same way is kept once.
    public private(set) var poolNames: [HostAddress: [PoolNameEvidence]] = [:]
    /// The latest summary of every long-lived TCP flow, per host (a later summary of a flow replaces the earlier).
    public private(set) var flowShapes: [HostAddress: [FlowShape.FlowKey: FlowShape]] = [:]

    /// What is kept of one host. Hosts live in a dense array found through `slots`, so recording an interval costs
    /// one hash lookup and mutates its host in place (no copy of the series).
    private struct HostRecord: Sendable {
        var host: HostAddress
        var totals = IntervalCounters.zero
        var busiestRemotes = EndpointList()
        var firstIndex: Int64
        var lastIndex: Int64
        /// Timeline position of `rows[0]`.
        var first: Int64
        var rows: [IntervalCounters] = []
    }

    private let keepsSeries: Bool
    private var slots: [HostAddress: Int] = [:]
    private var hosts: [HostRecord] = []
    private var segmentStartIndex: Int64?
    private var segmentStartPosition: Int64 = 0
    private var lastClosedPosition: Int64?

    /// - Parameter keepingSeries: keep every host's interval series (for trace files), not just totals.
    public init(keepingSeries: Bool) {
        keepsSeries = keepingSeries
    }

    public mutating func record(_ event: CaptureEvent) {
        switch event {
        case .host(let interval):
            let position = position(of: interval.index)
            let slot = slot(of: interval.host, index: interval.index, position: position)
            hosts[slot].totals += interval.counters
            hosts[slot].lastIndex = max(hosts[slot].lastIndex, interval.index)
            if !interval.busiestRemotes.isEmpty { hosts[slot].busiestRemotes = interval.busiestRemotes }
            guard keepsSeries else { return }
            let offset = Int(position - hosts[slot].first)
            let count = hosts[slot].rows.count
            if offset >= count {
                hosts[slot].rows.append(contentsOf: repeatElement(.zero, count: offset - count))
                hosts[slot].rows.append(interval.counters)
            } else {
                hosts[slot].rows[offset] += interval.counters
            }
        case .intervalClosed(let index):
            lastClosedPosition = position(of: index)

        case .discontinuity(let from, let to):
            discontinuities += 1
            let next = position(of: from) + 1
            segmentStartIndex = to
            segmentStartPosition = next
        }
    }

    private mutating func slot(of host: HostAddress, index: Int64, position: Int64) -> Int {
        if let slot = slots[host] { return slot }
        hosts.append(HostRecord(host: host, firstIndex: index, lastIndex: index, first: position))
        slots[host] = hosts.count - 1
        return hosts.count - 1
    }

    /// Adds a batch: its evidence, then its events.
    public mutating func record(_ batch: CaptureBatch) {
        for evidence in batch.evidence { record(evidence) }
        for event in batch.events { record(event) }
    }

    /// Adds a piece of evidence the capture thread reported.
    public mutating func record(_ found: CaptureEvidence) {
        switch found {
        case .stratum(let session): record(session)
        case .poolName(let sighting):
            var list = poolNames[sighting.host, default: []]
            if !list.contains(where: { $0.sightingKey == sighting.sightingKey }) { list.append(sighting) }
            poolNames[sighting.host] = list
        case .flowShape(let shape):
            flowShapes[shape.host, default: [:]][shape.flowKey] = shape
        }
    }

    /// Adds a mining protocol session.
    public mutating func record(_ found: MiningEvidence) {
        var list = evidence[found.host, default: []]
        if !list.contains(where: { $0.sessionKey == found.sessionKey }) { list.append(found) }
        evidence[found.host] = list
    }

    /// Hosts seen mining: those with evidence of a session in which they are the miner.
    public var minersByEvidence: Set<HostAddress> {
        Set(evidence.compactMap { host, sessions in sessions.contains { $0.role == .miner } ? host : nil })
    }

    /// Each host's interval series, from its first interval with traffic to the last closed interval.
    public func traces(interval: Double) -> [HostAddress: Trace] {
        var traces = [HostAddress: Trace]()
        for entry in hosts where keepsSeries {
            var rows = entry.rows
            if let last = lastClosedPosition {
                let length = Int(last - entry.first + 1)
                if length > rows.count { rows.append(contentsOf: repeatElement(.zero, count: length - rows.count)) }
            }
            traces[entry.host] = Trace(rows: rows, interval: interval)
        }
        return traces
    }

    private mutating func position(of index: Int64) -> Int64 {
        guard let start = segmentStartIndex else {
            segmentStartIndex = index
            return segmentStartPosition
        }
        return segmentStartPosition + (index - start)
    }
}
