/// What an address model was fitted and calibrated on, as its file keeps it: the same for every kind, with each
/// kind's own settings (absent from the other kinds' files).
public struct AddressTrainingSummary: Codable, Sendable {
    /// Examples per class the model was fitted on.
    public var fitted: [String: Int]
    /// Examples per class held out for calibration.
    public var heldOut: [String: Int]
    /// Examples per data set.
    public var sets: [String: Int]
    /// Negative log-likelihood on the held-out examples before and after temperature scaling.
    public var heldOutLogLossBefore: Double?
    public var heldOutLogLossAfter: Double?
    /// The logistic model's gradient-descent epochs and L2 penalty.
    public var epochs: Int?
    public var l2: Double?
    /// The forest's trees, their depth limit and smallest leaf.
    public var trees: Int?
    public var maxDepth: Int?
    public var minLeaf: Int?
    /// XGBoost's parameters and boosting rounds.
    public var parameters: [String: String]?
    public var rounds: Int?

    /// The class counts of `split`, made from `examples`.
    init(_ split: TrainingSplit, examples: [TrainingSplit.Example]) {
        fitted = TrainingSplit.counts(split.fit, classes: split.classes)
        heldOut = TrainingSplit.counts(split.held, classes: split.classes)
        sets = Dictionary(grouping: examples, by: \.set).mapValues(\.count)
    }

    /// Fits the temperature on the held-out examples' scores and keeps the log-loss before and after; 1 without
    /// held-out examples.
    mutating func calibrate(_ held: [(scores: [Double], label: Int)]) -> Double {
        guard let fit = TemperatureScaling.fit(held) else { return 1 }
        heldOutLogLossBefore = fit.logLossBefore
        heldOutLogLossAfter = fit.logLossAfter
        return fit.temperature
    }

    /// Examples the model was fitted on, all classes.
    public var fittedCount: Int { fitted.values.reduce(0, +) }
}
