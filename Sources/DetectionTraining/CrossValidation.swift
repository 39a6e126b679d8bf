import Detection
import Profiling

/// Held-out evaluation of the training procedure: no window is ever tested by a model that saw it or its source.
public enum CrossValidation {
    /// One trace's held-out result.
    public struct TraceResult: Sendable {
        public var name: String
        public var isMining: Bool
        public var evaluation: TraceEvaluation
    }

    /// One trace's share of a time split.
    public struct TimeSplitPart: Sendable {
        public var loaded: LoadedTrace
        /// The windows of its training part.
        public var training: ModelTrainer.Part
        /// The windows of its test part; `nil` when nothing is left after the training part and the gap.
        public var test: TraceWindows?
    }

    /// Splits every trace in time, as `timeSplit` describes.
    public static func splitInTime(
        _ data: [LoadedTrace], windows settings: WindowSettings, trainFraction: Double
    ) -> [TimeSplitPart] {
        let history = settings.historyIntervals
        let slide = settings.slideIntervals
        let gap = (history + slide - 1) / slide * slide
        let lengths = Dictionary(data.map { (Manifest.baseName($0.trace.name), $0.rowCount) }) { first, _ in first }
        func trainEnd(_ rows: Int) -> Int { Int(Double(rows) * trainFraction) }
        return data.map { loaded in
            let end = trainEnd(loaded.rowCount)
            let train = loaded.windows.subset(inside: 0..<end, windowIntervals: history)
            let sourcesEnd = loaded.trace.parts.map { trainEnd(lengths[$0] ?? loaded.rowCount) }.max() ?? end
            var start = max(end, sourcesEnd) + gap
            start = (start + slide - 1) / slide * slide
            return TimeSplitPart(
                loaded: loaded,
                training: .init(name: loaded.trace.name, isMining: loaded.trace.isMining, rows: end, windows: train),
                test: start < loaded.rowCount
                    ? loaded.windows.subset(inside: start..<loaded.rowCount, windowIntervals: history) : nil)
        }
    }

    /// Time split: every trace's earlier part trains one model, its later part is tested.
    ///
    /// The training part of a trace is its first `trainFraction` of rows. Its test part starts one longest window
    /// (rounded up to the slide) after the training part ends, so no test window overlaps a training window; for a
    /// mix, after the training parts of *both* its sources too (a mix is cut to its shorter source, so the sources'
    /// training parts reach further in time than the mix's own).
    public static func timeSplit(
        _ data: [LoadedTrace], options: TrainingOptions, trainFraction: Double, traceIntervalSeconds: Double
    ) throws -> (model: ModelFile, results: [TraceResult]) {
        let split = splitInTime(data, windows: options.windows, trainFraction: trainFraction)
        let file = try ModelTrainer.fit(split.map(\.training), options: options,
                                        traceIntervalSeconds: traceIntervalSeconds)
        let model = try DetectionModel(file: file)
        let results = split.compactMap { part in
            part.test.map { windows in
                TraceResult(name: part.loaded.trace.name, isMining: part.loaded.trace.isMining,
                            evaluation: TraceEvaluation.evaluate(windows, model: model,
                                                                 isMining: part.loaded.trace.isMining))
            }
        }
        return (file, results)
    }

    /// Leave one trace out: for each trace selected by `testing`, a model trained on every trace that shares no
    /// source with it is tested on the whole of it.
    public static func leaveOneTraceOut(
        _ data: [LoadedTrace], options: TrainingOptions, traceIntervalSeconds: Double,
        testing: (LabelledTrace) -> Bool = { _ in true }, progress: (String) -> Void = { _ in }
    ) throws -> [TraceResult] {
        var results = [TraceResult]()
        for held in data where testing(held.trace) {
            let sources = Set(held.trace.parts)
            let parts = data.filter { sources.isDisjoint(with: $0.trace.parts) }.map {
                ModelTrainer.Part(name: $0.trace.name, isMining: $0.trace.isMining, rows: $0.rowCount,
                                  windows: $0.windows)
            }
            let file = try ModelTrainer.fit(parts, options: options, traceIntervalSeconds: traceIntervalSeconds)
            let model = try DetectionModel(file: file)
            let evaluation = TraceEvaluation.evaluate(held.windows, model: model, isMining: held.trace.isMining)
            progress("held out \(held.trace.name): trained on \(parts.count) traces")
            results.append(TraceResult(name: held.trace.name, isMining: held.trace.isMining, evaluation: evaluation))
        }
        return results
    }

    /// Pools per-trace results: summed counts and the median latency over flagged mining traces.
    public static func summarize(_ results: [TraceResult]) -> ModelFile.HeldOutMetrics {
        var windows = EvaluationCounts(), voted = EvaluationCounts()
        var latencies = [Double]()
        for result in results {
            windows = windows + result.evaluation.windows
            voted = voted + result.evaluation.voted
            if result.isMining, let latency = result.evaluation.latencySeconds { latencies.append(latency) }
        }
        latencies.sort()
        let median = latencies.isEmpty ? nil : latencies[latencies.count / 2]
        return .init(protocolDescription: "", windows: windows, voted: voted, medianLatencySeconds: median)
    }
}
