/// A host's traffic as a series of equal intervals: the content of a trace file.
///
/// The interval width is not stored in the Nypto text format; it travels beside the rows (the Nypto traces are
/// sampled every 0.5 s, the sensor's default is 1 s).
public struct Trace: Hashable, Sendable {
    /// One row per interval, oldest first.
    public var rows: [IntervalCounters]
    /// The width of one interval, in seconds.
    public var interval: Double

    public init(rows: [IntervalCounters], interval: Double) {
        self.rows = rows
        self.interval = interval
    }

    /// The duration the trace covers, in seconds.
    public var duration: Double { Double(rows.count) * interval }

    /// Element-wise sum of traces, cut to the shortest, as Nypto built its traffic mixes.
    ///
    /// - Throws: `TraceError.intervalMismatch` when the traces do not share one interval width.
    public static func merge(_ traces: [Trace]) throws(TraceError) -> Trace {
        guard let first = traces.first else { return Trace(rows: [], interval: 1) }
        for trace in traces.dropFirst() where trace.interval != first.interval {
            throw .intervalMismatch(first.interval, trace.interval)
        }
        let length = traces.map(\.rows.count).min() ?? 0
        var rows = Array(first.rows.prefix(length))
        for trace in traces.dropFirst() {
            for index in 0..<length { rows[index] += trace.rows[index] }
        }
        return Trace(rows: rows, interval: first.interval)
    }

    /// The same traffic in wider intervals: every `factor` consecutive rows are summed into one.
    ///
    /// A trailing partial group is dropped, since its counts would understate a full interval.
    /// - Parameter factor: how many rows make one new row (2 turns Nypto's 0.5 s rows into 1 s rows).
    public func coarsened(by factor: Int) -> Trace {
        precondition(factor >= 1, "a resampling factor is at least 1")
        guard factor > 1 else { return self }
        let groups = rows.count / factor
        var wider = [IntervalCounters]()
        wider.reserveCapacity(groups)
        for group in 0..<groups {
            var sum = IntervalCounters.zero
            for row in rows[(group * factor)..<((group + 1) * factor)] { sum += row }
            wider.append(sum)
        }
        return Trace(rows: wider, interval: interval * Double(factor))
    }

    /// The trace resampled to `target` seconds per row, which must be a whole multiple of the current width.
    ///
    /// - Throws: `TraceError.cannotResample` when `target` is not a whole multiple of `interval`.
    public func resampled(to target: Double) throws(TraceError) -> Trace {
        let ratio = target / interval
        let factor = ratio.rounded()
        guard factor >= 1, abs(ratio - factor) < 1e-9 else { throw .cannotResample(from: interval, to: target) }
        return coarsened(by: Int(factor))
    }
}
