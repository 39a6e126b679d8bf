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
    /// - Throws: `ModelTrainerError` when a class has no window, or when LAPACK fails.
    public static func fit(
        _ parts: [Part], options: TrainingOptions, traceIntervalSeconds: Double
    ) throws -> ModelFile {
        var rows = [[Double]]()
        var labels = [Bool]()
        for part in parts {
            rows.append(contentsOf: part.windows.features)
            labels.append(contentsOf: repeatElement(part.isMining, count: part.windows.features.count))
        }
        let miningWindows = labels.filter { $0 }.count
        guard miningWindows > 0, miningWindows < labels.count else {
            throw ModelTrainerError("training needs windows of both classes; got \(miningWindows) mining and "
                + "\(labels.count - miningWindows) normal")
        }
        let scaler = StandardScaler.fit(rows)
        let scaled = rows.map(scaler.transform)
        let pca = try PrincipalComponents.fit(scaled, varianceToKeep: options.pcaVariance)
        let projected = scaled.map(pca.transform)
        let trainer = LinearSVCTrainer(penalty: options.penalty, seed: options.seed)
        let result = trainer.train(projected, labels: labels)
        let names = FeatureExtractor(settings: options.windows).featureNames
        let summary = ModelFile.TrainingSummary(
            traceIntervalSeconds: traceIntervalSeconds,
            traces: parts.map {
                .init(name: $0.name, label: $0.isMining ? "mining" : "normal", rows: $0.rows,
                      windows: $0.windows.features.count)
            },
            miningWindows: miningWindows, normalWindows: labels.count - miningWindows)
        let svc = ModelFile.SVCParameters(
            weights: result.model.weights, bias: result.model.bias, solver: "liblinear-dual-cd/l2r-l2loss",
            penalty: options.penalty, miningWeight: result.classWeights.positive,
            normalWeight: result.classWeights.negative, iterations: result.iterations, converged: result.converged)
        let numbers = scaler.mean + scaler.scale + pca.components.flatMap { $0 } + svc.weights + [svc.bias]
        return ModelFile(
            format: ModelFile.formatTag, version: ModelFile.currentVersion, id: contentHash(numbers),
            created: ISO8601DateFormatter().string(from: Date()), windows: options.windows, features: names,
            scaler: scaler, pca: pca, svc: svc, vote: options.vote, training: summary, metrics: nil)
    }

    /// FNV-1a 64 over the numbers' bit patterns, as 16 hex digits.
    private static func contentHash(_ numbers: [Double]) -> String {
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
