import Foundation
import Profiling

/// The versioned JSON model file (`../shared/DESIGN.md`, a stable interface): everything needed to reproduce a
/// decision, and what the model was trained and evaluated on.
public struct ModelFile: Codable, Sendable {
    /// The value of `format` in every model file.
    public static let formatTag = "coinsentry-mining-model"
    /// The format version this build writes and reads. Version 2 added `WindowFeature.spectralPeak` and the
    /// `HostFeature`s; a version 1 file is refused (its feature list is no longer computed).
    public static let currentVersion = 2

    public var format: String
    public var version: Int
    /// A content hash of the decision parameters: names the model in alerts.
    public var id: String
    /// When the model was trained (ISO 8601).
    public var created: String
    /// Interval, window lengths and slide, counter transform.
    public var windows: WindowSettings
    /// Feature names in the order the scaler, PCA and SVC read them.
    public var features: [String]
    public var scaler: StandardScaler
    public var pca: PrincipalComponents
    public var svc: SVCParameters
    public var vote: VoteSettings
    public var training: TrainingSummary
    /// Held-out evaluation of the training procedure; absent when none was run.
    public var metrics: HeldOutMetrics?
    /// The multi-class model (which traffic class), over the same scaler and PCA; absent in a binary-only model.
    /// Optional, so version 2 files without it load unchanged, and a reader that ignores it decides exactly alike.
    public var classes: MultiClassParameters?

    public init(
        format: String = formatTag, version: Int = currentVersion, id: String, created: String,
        windows: WindowSettings, features: [String], scaler: StandardScaler, pca: PrincipalComponents,
        svc: SVCParameters, vote: VoteSettings, training: TrainingSummary, metrics: HeldOutMetrics? = nil,
        classes: MultiClassParameters? = nil
    ) {
        self.classes = classes
        self.format = format
        self.version = version
        self.id = id
        self.created = created
        self.windows = windows
        self.features = features
        self.scaler = scaler
        self.pca = pca
        self.svc = svc
        self.vote = vote
        self.training = training
        self.metrics = metrics
    }

    /// The classifier and how it was trained.
    public struct SVCParameters: Codable, Sendable {
        /// Weights over the PCA components.
        public var weights: [Double]
        public var bias: Double
        /// The solver, for the record (`liblinear-dual-cd/l2r-l2loss`).
        public var solver: String
        /// The penalty C.
        public var penalty: Double
        /// Class weights: mining, normal.
        public var miningWeight: Double
        public var normalWeight: Double
        /// Passes the solver took, and whether it met its tolerance.
        public var iterations: Int
        public var converged: Bool
        /// Subtracted from the SVC's decision value before its sign is taken (a window is *mining* when
        /// `w·z + bias − decisionOffset > 0`): the operating point chosen on validation windows carved from the
        /// training data (0 when none was chosen).
        public var decisionOffset: Double
        /// How `decisionOffset` was chosen, in words.
        public var offsetRule: String

        public init(
            weights: [Double], bias: Double, solver: String, penalty: Double, miningWeight: Double,
            normalWeight: Double, iterations: Int, converged: Bool, decisionOffset: Double = 0,
            offsetRule: String = "none"
        ) {
            self.decisionOffset = decisionOffset
            self.offsetRule = offsetRule
            self.weights = weights
            self.bias = bias
            self.solver = solver
            self.penalty = penalty
            self.miningWeight = miningWeight
            self.normalWeight = normalWeight
            self.iterations = iterations
            self.converged = converged
        }
    }

    /// What the model was trained on.
    public struct TrainingSummary: Codable, Sendable {
        /// One entry per trace.
        public struct Trace: Codable, Sendable {
            public var name: String
            public var label: String
            public var rows: Int
            public var windows: Int

            public init(name: String, label: String, rows: Int, windows: Int) {
                self.name = name
                self.label = label
                self.rows = rows
                self.windows = windows
            }
        }

        /// Seconds per row of the training traces before resampling.
        public var traceIntervalSeconds: Double
        public var traces: [Trace]
        /// Windows that trained, after the per-trace cap.
        public var miningWindows: Int
        public var normalWindows: Int
        /// The per-trace cap on training windows (`TrainingOptions.maximumWindowsPerTrace`), if any.
        public var maximumWindowsPerTrace: Int?
        /// Name fragments of the features given weight 0 (`TrainingOptions.ignoredFeatures`).
        public var ignoredFeatures: [String]
        /// Name fragments of the traces left out of training (`TrainingOptions.untrainedTraces`).
        public var untrainedTraces: [String]

        public init(
            traceIntervalSeconds: Double, traces: [Trace], miningWindows: Int, normalWindows: Int,
            maximumWindowsPerTrace: Int? = nil, ignoredFeatures: [String] = [], untrainedTraces: [String] = []
        ) {
            self.untrainedTraces = untrainedTraces
            self.maximumWindowsPerTrace = maximumWindowsPerTrace
            self.ignoredFeatures = ignoredFeatures
            self.traceIntervalSeconds = traceIntervalSeconds
            self.traces = traces
            self.miningWindows = miningWindows
            self.normalWindows = normalWindows
        }
    }

    /// Held-out evaluation (never training data) of the same training procedure.
    public struct HeldOutMetrics: Codable, Sendable {
        /// How the data was split, in words.
        public var protocolDescription: String
        public var windows: EvaluationCounts
        public var voted: EvaluationCounts
        /// Median seconds from a mining trace's start to its first mining verdict; `nil` if none was flagged.
        public var medianLatencySeconds: Double?

        public init(protocolDescription: String, windows: EvaluationCounts, voted: EvaluationCounts,
                    medianLatencySeconds: Double?) {
            self.protocolDescription = protocolDescription
            self.windows = windows
            self.voted = voted
            self.medianLatencySeconds = medianLatencySeconds
        }
    }

    /// Reads and decodes a model file, checking only its format tag and version.
    ///
    /// - Throws: `ModelError.io`, `.corrupt` or `.unsupportedVersion`.
    public static func read(_ path: String) throws(ModelError) -> ModelFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .io(path: path, reason: "cannot read the model: \(error.localizedDescription)")
        }
        struct Header: Decodable {
            var format: String?
            var version: Int?
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw .corrupt(path: path, reason: "not a JSON object")
        }
        guard header.format == formatTag else {
            throw .corrupt(path: path, reason: "format is \(header.format.map { "'\($0)'" } ?? "missing"), "
                + "expected '\(formatTag)'")
        }
        guard header.version == currentVersion else {
            throw .unsupportedVersion(path: path, found: header.version ?? -1, supported: currentVersion)
        }
        return try ModelJSON.decode(ModelFile.self, from: data, path: path)
    }

    /// Writes the model as pretty-printed JSON, replacing the file atomically.
    ///
    /// - Throws: `ModelError.io`.
    public func write(to path: String) throws(ModelError) {
        try ModelJSON.write(self, to: path, what: "the model")
    }
}
