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

    public init(
        windows: WindowSettings = WindowSettings(), vote: VoteSettings = VoteSettings(), penalty: Double = 1,
        pcaVariance: Double = 0.999, seed: UInt64 = 1
    ) {
        self.windows = windows
        self.vote = vote
        self.penalty = penalty
        self.pcaVariance = pcaVariance
        self.seed = seed
    }
}
