import Detection
/// Fits the class block (`MultiClassParameters`): one L2-regularised squared-hinge linear SVC per traffic class,
/// that class against the rest (`LinearSVCTrainer`, balanced weights within each problem), on the PCA components of
/// the binary model's scaler and PCA, so that adding classes never changes a binary decision.
public enum MultiClassTrainer {
    /// Windows of one trace with its traffic class, for training.
    public struct Part: Sendable {
        public var part: ModelTrainer.Part
        public var trafficClass: String

        public init(part: ModelTrainer.Part, trafficClass: String) {
            self.part = part
            self.trafficClass = trafficClass
        }
    }

    /// Everything that shapes the class block besides its data and the scaler and PCA.
    public struct Options: Sendable {
        /// The penalty C of every one-vs-rest SVC.
        public var penalty: Double
        /// The host class vote recorded in the block.
        public var vote: ClassVoteSettings
        /// Seed of the solver's coordinate order.
        public var seed: UInt64
        /// At most this many windows of one trace train, evenly spaced; `nil` takes them all.
        public var maximumWindowsPerTrace: Int?
        /// Traces whose name contains any of these are never trained on.
        public var untrainedTraces: [String]

        public init(
            penalty: Double = 1, vote: ClassVoteSettings = ClassVoteSettings(), seed: UInt64 = 1,
            maximumWindowsPerTrace: Int? = nil, untrainedTraces: [String] = []
        ) {
            self.penalty = penalty
            self.vote = vote
            self.seed = seed
            self.maximumWindowsPerTrace = maximumWindowsPerTrace
            self.untrainedTraces = untrainedTraces
        }
    }

    /// The classed parts of labelled traces: those with a traffic class.
    public static func classedParts(_ traces: [(LabelledTrace, ModelTrainer.Part)]) -> [Part] {
        traces.compactMap { trace, part in trace.trafficClass.map { Part(part: part, trafficClass: $0) } }
    }

    /// Trains the class block. Classes are ordered by name.
    ///
    /// - Throws: `ModelTrainerError` with fewer than two classes, when a class is labelled both mining and normal,
    ///   or when the windows do not fit the scaler.
    public static func fit(
        _ allParts: [Part], scaler: StandardScaler, pca: PrincipalComponents, options: Options
    ) throws -> MultiClassParameters {
        let parts = allParts.filter { part in
            !options.untrainedTraces.contains { part.part.name.contains($0) } && !part.part.windows.features.isEmpty
        }
        var isMining = [String: Bool]()
        for part in parts {
            if let earlier = isMining[part.trafficClass], earlier != part.part.isMining {
                throw ModelTrainerError("class '\(part.trafficClass)' has both mining and normal traces "
                    + "(\(part.part.name) is \(part.part.isMining ? "mining" : "normal")); a class is one or the other")
            }
            isMining[part.trafficClass] = part.part.isMining
        }
        let names = isMining.keys.sorted()
        guard names.count >= 2 else {
            throw ModelTrainerError("multi-class training needs windows of at least 2 classes; got \(names.count) "
                + "(a trace has a class from the manifest's class= or, by the default rule, its file name)")
        }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        var rows = [[Double]]()
        var labels = [Int]()
        for part in parts {
            var kept = part.part.windows.features
            if let cap = options.maximumWindowsPerTrace, kept.count > cap {
                let all = part.part.windows.features
                kept = (0..<cap).map { all[$0 * all.count / cap] }
            }
            guard kept.allSatisfy({ $0.count == scaler.mean.count }) else {
                throw ModelTrainerError("\(part.part.name): windows of \(kept.first?.count ?? 0) features, the "
                    + "scaler expects \(scaler.mean.count)")
            }
            rows += kept.map { pca.transform(scaler.transform($0)) }
            labels += repeatElement(index[part.trafficClass]!, count: kept.count)
        }
        let trainer = LinearSVCTrainer(penalty: options.penalty, seed: options.seed)
        let classes = names.enumerated().map { classIndex, name in
            let result = trainer.train(rows, labels: labels.map { $0 == classIndex })
            return MultiClassParameters.TrafficClass(
                name: name, isMining: isMining[name]!, weights: result.model.weights, bias: result.model.bias,
                classWeight: result.classWeights.positive, restWeight: result.classWeights.negative,
                trainingWindows: labels.filter { $0 == classIndex }.count, iterations: result.iterations,
                converged: result.converged)
        }
        return MultiClassParameters(
            classes: classes, solver: "liblinear-dual-cd/l2r-l2loss, one-vs-rest", penalty: options.penalty,
            vote: options.vote,
            traces: parts.map {
                .init(name: $0.part.name, trafficClass: $0.trafficClass, windows: $0.part.windows.features.count)
            })
    }
}
