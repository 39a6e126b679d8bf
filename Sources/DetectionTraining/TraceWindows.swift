import Detection
import Profiling
import Traces

/// Every window of one trace, computed by the sensor's own window engine (one host, intervals in trace order).
public struct TraceWindows: Sendable {
    /// Feature vectors, one per emitted window, oldest first.
    public var features: [[Double]]
    /// The index (in the trace's rows at the settings' interval) of each window's newest interval.
    public var endIntervals: [Int64]
    /// Rows of the trace at the settings' interval.
    public var rowCount: Int

    /// Runs `rows` (already at the settings' interval) through a `WindowEngine`.
    ///
    /// - Throws: `WindowSettingsError` when the settings cannot be honoured.
    public static func extract(rows: ArraySlice<IntervalCounters>, settings: WindowSettings)
        throws(WindowSettingsError) -> TraceWindows
    {
        var engine = try WindowEngine<Int>(settings: settings, maximumHosts: 1)
        var result = TraceWindows(features: [], endIntervals: [], rowCount: rows.count)
        for (offset, row) in rows.enumerated() {
            let index = Int64(offset)
            if !row.isZero { engine.record(host: 0, intervalIndex: index, counters: row) }
            for window in engine.intervalClosed(index) {
                result.features.append(window.features)
                result.endIntervals.append(window.endInterval)
            }
        }
        return result
    }

    /// The windows that lie wholly inside `rows` (row indices of this trace), for splitting a trace in time.
    public func subset(inside rows: Range<Int>, windowIntervals: Int) -> TraceWindows {
        var result = TraceWindows(features: [], endIntervals: [], rowCount: rows.count)
        for (index, end) in endIntervals.enumerated()
        where Int(end) - windowIntervals + 1 >= rows.lowerBound && Int(end) < rows.upperBound {
            result.features.append(features[index])
            result.endIntervals.append(end - Int64(rows.lowerBound))
        }
        return result
    }
}
