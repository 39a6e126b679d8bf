import Detection
import Profiling
import Traces

/// A labelled trace read, resampled to the model's interval, and cut into windows.
public struct LoadedTrace: Sendable {
    public var trace: LabelledTrace
    /// Rows at the model's interval.
    public var rowCount: Int
    /// All its windows.
    public var windows: TraceWindows

    /// Reads, resamples and windows labelled traces.
    ///
    /// - Parameters:
    ///   - traceInterval: seconds per row in the files (0.5 for the Nypto traces).
    ///   - progress: called with a line per trace.
    /// - Throws: `TraceError` for unreadable or bad files, `WindowSettingsError` for bad settings.
    public static func load(
        _ traces: [LabelledTrace], traceInterval: Double, settings: WindowSettings,
        progress: (String) -> Void = { _ in }
    ) throws -> [LoadedTrace] {
        try traces.map { labelled in
            let trace = try TraceFile.read(labelled.path, interval: traceInterval)
                .resampled(to: settings.intervalSeconds)
            let windows = try TraceWindows.extract(rows: trace.rows[...], settings: settings)
            progress("\(labelled.name): \(trace.rows.count) rows, \(windows.features.count) windows")
            return LoadedTrace(trace: labelled, rowCount: trace.rows.count, windows: windows)
        }
    }
}
