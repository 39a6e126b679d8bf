import Detection
/// Held-out evaluation of the multi-class procedure on a time split (`CrossValidation.timeSplit`'s split: the
/// earlier part of every trace trains, the later part after a gap of one longest window tests).
///
/// Leave-one-trace-out is not offered: when a class has one trace, holding it out leaves its class untrained, and
/// no class model can name a class it never saw.
public enum MultiClassCrossValidation {
    /// One classed trace's held-out result.
    public struct TraceResult: Sendable {
        public var name: String
        public var trafficClass: String
        public var evaluation: ClassEvaluation
    }

    /// The outcome of a multi-class time split.
    public struct Outcome: Sendable {
        /// The model trained on the training parts (binary and class block).
        public var model: ModelFile
        /// Binary results of every trace with a test part.
        public var binary: [CrossValidation.TraceResult]
        /// Class results of every classed trace with a test part.
        public var traces: [TraceResult]

        /// Pooled per-window and per-vote class matrices.
        public var pooled: MultiClassMetrics {
            let empty = ClassConfusion(classes: model.classes?.classes.map(\.name) ?? [],
                                       mining: model.classes?.classes.map(\.isMining) ?? [])
            return MultiClassMetrics(
                protocolDescription: "", windows: traces.map(\.evaluation.windows).reduce(empty, +),
                voted: traces.map(\.evaluation.voted).reduce(empty, +))
        }
    }

    /// Trains the binary model and the class block on the training parts and tests both on the test parts.
    ///
    /// - Parameter progress: called with a line per stage.
    /// - Throws: `ModelTrainerError`, `ModelError` or LAPACK failures from training.
    public static func timeSplit(
        _ data: [LoadedTrace], options: TrainingOptions, classOptions: MultiClassTrainer.Options,
        trainFraction: Double, traceIntervalSeconds: Double, progress: (String) -> Void = { _ in }
    ) throws -> Outcome {
        progress("time split: fitting the binary model (scaler, PCA, SVC) on the training parts")
        let binary = try CrossValidation.timeSplit(
            data, options: options, trainFraction: trainFraction, traceIntervalSeconds: traceIntervalSeconds)
        let split = CrossValidation.splitInTime(data, windows: options.windows, trainFraction: trainFraction)
        var file = binary.model
        let parts = MultiClassTrainer.classedParts(split.map { ($0.loaded.trace, $0.training) })
        progress("time split: fitting one-vs-rest SVCs for \(Set(parts.map(\.trafficClass)).count) classes on "
            + "\(parts.map(\.part.windows.features.count).reduce(0, +)) windows")
        file.classes = try MultiClassTrainer.fit(parts, scaler: file.scaler, pca: file.pca, options: classOptions)
        guard let classifier = try DetectionModel(file: file).classifier else {
            throw ModelTrainerError("the trained model has no class block")
        }
        let index = Dictionary(uniqueKeysWithValues: classifier.names.enumerated().map { ($1, $0) })
        var traces = [TraceResult]()
        for part in split {
            guard let trafficClass = part.loaded.trace.trafficClass, let test = part.test else { continue }
            guard let actual = index[trafficClass] else {
                progress("  \(part.loaded.trace.name): class '\(trafficClass)' was not trained; not tested")
                continue
            }
            traces.append(TraceResult(
                name: part.loaded.trace.name, trafficClass: trafficClass,
                evaluation: ClassEvaluation.evaluate(test, classifier: classifier, actual: actual)))
        }
        return Outcome(model: file, binary: binary.results, traces: traces)
    }
}
