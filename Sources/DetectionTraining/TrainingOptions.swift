import Detection
import Profiling

/// Everything that shapes a trained model besides its data.
public struct TrainingOptions: Sendable {
    /// Interval, windows, slide and counter transform.
    public var windows: WindowSettings
    /// The vote recorded in the model.
    public var vote: VoteSettings
    /// The SVC penalty C.
    public var penalty: Double
    /// The share of variance the kept PCA components explain (1 keeps them all).
    public var pcaVariance: Double
    /// Seed of the solver's coordinate order.
    public var seed: UInt64
    /// Multiplies the normal class's balanced weight (`n / (2 · n_normal)`); above 1 trades recall for fewer false
    /// positives.
    public var normalWeightFactor: Double
    /// When set, the decision offset is raised until at most this share of the normal *validation* windows is
    /// decided *mining*; see `ModelTrainer.fit`. `nil` keeps the SVC's own threshold.
    public var validationFPR: Double?
    /// The share of each training trace's rows, at its end, that the validation windows come from.
    public var validationFraction: Double

    /// At most this many windows of one trace train, taken evenly spaced, so that a long trace (68 h of one GPU
    /// miner) does not outweigh the others; `nil` takes them all.
    public var maximumWindowsPerTrace: Int?
    /// Features whose name contains any of these are ignored: their column is zeroed before fitting, so the model
    /// gives them weight 0 (they stay in the feature list the sensor computes).
    public var ignoredFeatures: [String]
    /// Traces whose name contains any of these are never trained on (held-out evaluation still tests them).
    public var untrainedTraces: [String]

    public init(
        windows: WindowSettings = WindowSettings(), vote: VoteSettings = VoteSettings(), penalty: Double = 1,
        pcaVariance: Double = 0.999, seed: UInt64 = 1, normalWeightFactor: Double = 1, validationFPR: Double? = nil,
        validationFraction: Double = 0.25, maximumWindowsPerTrace: Int? = nil, ignoredFeatures: [String] = [],
        untrainedTraces: [String] = []
    ) {
        self.untrainedTraces = untrainedTraces
        self.maximumWindowsPerTrace = maximumWindowsPerTrace
        self.ignoredFeatures = ignoredFeatures
        self.normalWeightFactor = normalWeightFactor
        self.validationFPR = validationFPR
        self.validationFraction = validationFraction
        self.windows = windows
        self.vote = vote
        self.penalty = penalty
        self.pcaVariance = pcaVariance
        self.seed = seed
    }
}
