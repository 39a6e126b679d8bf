import Detection
import Foundation
import Profiling

/// Fits scaler, PCA and linear SVC to labelled windows and writes the result as a `ModelFile`.
public enum ModelTrainer {
    /// Windows of one trace with their class, for training.
    public struct Part: Sendable {
        public var name: String
        public var isMining: Bool
        public var rows: Int
        public var windows: TraceWindows

        public init(name: String, isMining: Bool, rows: Int, windows: TraceWindows) {
            self.name = name
            self.isMining = isMining
            self.rows = rows
            self.windows = windows
        }
    }

    /// Trains a model on the windows of the given parts.
    ///
    /// With `options.validationFPR` set, the decision offset is chosen first: every part's windows are split in
    /// time, its last `validationFraction` of rows (after a gap of one longest window, rounded up to the slide)
    /// validating and the rest training a provisional model; the offset is the smallest value ≥ 0 that leaves at
    /// most `validationFPR` of the normal validation windows decided *mining*. The final model is then fitted on all
    /// windows and carries that offset. No window outside `parts` is looked at; parts named by
    /// `options.untrainedTraces` are left out first.
    ///
    /// - Throws: `ModelTrainerError` when a class has no window, or when LAPACK fails.
    public static func fit(
        _ allParts: [Part], options: TrainingOptions, traceIntervalSeconds: Double
    ) throws -> ModelFile {
        let parts = allParts.filter { part in !options.untrainedTraces.contains { part.name.contains($0) } }
        var offset = 0.0, rule = "none"
        if let target = options.validationFPR {
            (offset, rule) = try chooseOffset(parts, options: options, target: target)
        }
        let fitted = try fitStages(parts.map { ($0.windows, $0.isMining) }, options: options)
        let names = FeatureExtractor(settings: options.windows).featureNames
        let summary = ModelFile.TrainingSummary(
            traceIntervalSeconds: traceIntervalSeconds,
            traces: parts.map {
                .init(name: $0.name, label: $0.isMining ? "mining" : "normal", rows: $0.rows,
                      windows: $0.windows.features.count)
            },
            miningWindows: fitted.miningWindows, normalWindows: fitted.normalWindows,
            maximumWindowsPerTrace: options.maximumWindowsPerTrace, ignoredFeatures: options.ignoredFeatures,
            untrainedTraces: options.untrainedTraces)
        let result = fitted.svc
        let svc = ModelFile.SVCParameters(
            weights: result.model.weights, bias: result.model.bias, solver: "liblinear-dual-cd/l2r-l2loss",
            penalty: options.penalty, miningWeight: result.classWeights.positive,
            normalWeight: result.classWeights.negative, iterations: result.iterations, converged: result.converged,
            decisionOffset: offset, offsetRule: rule)
        let numbers = fitted.scaler.mean + fitted.scaler.scale + fitted.pca.components.flatMap { $0 } + svc.weights
            + [svc.bias, svc.decisionOffset]
        return ModelFile(
            format: ModelFile.formatTag, version: ModelFile.currentVersion, id: contentHash(numbers),
            created: ISO8601DateFormatter().string(from: Date()), windows: options.windows, features: names,
            scaler: fitted.scaler, pca: fitted.pca, svc: svc, vote: options.vote, training: summary, metrics: nil)
    }

    private struct FittedStages {
        var scaler: StandardScaler
        var pca: PrincipalComponents
        var svc: LinearSVCTrainer.Result
        var miningWindows: Int
        var normalWindows: Int

        func decision(_ row: [Double]) -> Double { svc.model.decision(pca.transform(scaler.transform(row))) }
    }

    private static func fitStages(_ sets: [(TraceWindows, Bool)], options: TrainingOptions) throws -> FittedStages {
        let names = FeatureExtractor(settings: options.windows).featureNames
        let ignored = names.indices.filter { index in options.ignoredFeatures.contains { names[index].contains($0) } }
        var rows = [[Double]]()
        var labels = [Bool]()
        for (windows, isMining) in sets {
            var kept = windows.features
            if let cap = options.maximumWindowsPerTrace, kept.count > cap {
                kept = (0..<cap).map { windows.features[$0 * windows.features.count / cap] }
            }
            for var row in kept {
                for index in ignored { row[index] = 0 }
                rows.append(row)
            }
            labels.append(contentsOf: repeatElement(isMining, count: kept.count))
        }
        let miningWindows = labels.filter { $0 }.count
        let normalWindows = labels.count - miningWindows
        guard miningWindows > 0, normalWindows > 0 else {
            throw ModelTrainerError("training needs windows of both classes; got \(miningWindows) mining and "
                + "\(normalWindows) normal")
        }
        let scaler = StandardScaler.fit(rows)
        let scaled = rows.map(scaler.transform)
        var pca = try PrincipalComponents.fit(scaled, varianceToKeep: options.pcaVariance)
        // An ignored column is constant, so its loadings are zero up to rounding: make them exactly zero.
        for k in pca.components.indices { for index in ignored { pca.components[k][index] = 0 } }
        let projected = scaled.map(pca.transform)
        let count = Double(labels.count)
        let weights = (positive: count / (2 * Double(miningWindows)),
                       negative: options.normalWeightFactor * count / (2 * Double(normalWindows)))
        let trainer = LinearSVCTrainer(penalty: options.penalty, classWeights: weights, seed: options.seed)
        return FittedStages(
            scaler: scaler, pca: pca, svc: trainer.train(projected, labels: labels), miningWindows: miningWindows,
            normalWindows: normalWindows)
    }

    private static func chooseOffset(
        _ parts: [Part], options: TrainingOptions, target: Double
    ) throws -> (offset: Double, rule: String) {
        let history = options.windows.historyIntervals
        let slide = options.windows.slideIntervals
        let gap = (history + slide - 1) / slide * slide
        var training = [(TraceWindows, Bool)]()
        var validation = [TraceWindows]()
        for part in parts {
            let rows = part.windows.rowCount
            let cut = Int(Double(rows) * (1 - options.validationFraction))
            training.append((part.windows.subset(inside: 0..<cut, windowIntervals: history), part.isMining))
            let start = (cut + gap + slide - 1) / slide * slide
            if !part.isMining, start < rows {
                validation.append(part.windows.subset(inside: start..<rows, windowIntervals: history))
            }
        }
        let provisional = try fitStages(training, options: options)
        let decisions = validation.flatMap { $0.features.map(provisional.decision) }.sorted(by: >)
        let rule = "validation: last \(options.validationFraction) of every training trace (after a one-window gap), "
            + "at most \(target) of \(decisions.count) normal validation windows decided mining"
        let allowed = Int(target * Double(decisions.count))
        guard allowed < decisions.count else { return (0, rule) }
        return (max(0, decisions[allowed]), rule)
    }

    /// FNV-1a 64 over the numbers' bit patterns, as 16 hex digits: a model's id over its decision parameters (scaler
    /// mean and scale, PCA components, SVC weights, bias and decision offset, in that order).
    public static func contentHash(_ numbers: [Double]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for number in numbers {
            var bits = number.bitPattern
            for _ in 0..<8 {
                hash = (hash ^ (bits & 0xff)) &* 0x100_0000_01b3
                bits >>= 8
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Training could not run.
public struct ModelTrainerError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
