/// Why a classification is held back: reported beside the class.
public enum ClassificationCaveat: String, Codable, Sendable, CaseIterable {
    /// Fewer than ``ConfidenceGuard/minimumTransactions`` transactions: no class is reported above
    /// ``ConfidenceGuard/historyCap``.
    case tooLittleHistory = "too_little_history"
    /// Features outside the range the model was trained on (``FeatureRange``): the outcome is `unknown`.
    case unlikeTraining = "unlike_training"
}

/// The limits put on a model's confidences before they are reported.
///
/// - An address seen in fewer than ``minimumTransactions`` transactions gets no class above ``historyCap``: the
///   excess is shared among the other classes in proportion to their confidences (evenly when they are all 0), so
///   the most likely class stays the same.
/// - An address with a feature outside the model's ``FeatureRange`` gets the outcome ``unknownLabel`` and its
///   confidences halved toward uniform (the order of the classes is kept, for inspection).
public enum ConfidenceGuard {
    /// Transactions an address needs for a confidence above ``historyCap``.
    public static let minimumTransactions = 3
    /// Highest confidence reported for an address with too little history.
    public static let historyCap = 0.8
    /// Weight of the uniform distribution in the confidences of an address unlike the training data.
    public static let unlikeShrinkage = 0.5
    /// The outcome reported for an address unlike the training data.
    public static let unknownLabel = "unknown"

    /// The guarded confidences of an address with `transactions` transactions and the model's `probabilities`,
    /// `outside` naming the features outside the training range; with the caveats that applied.
    public static func apply(_ probabilities: [Double], transactions: Int, outside: [Int])
        -> (probabilities: [Double], caveats: [ClassificationCaveat]) {
        var result = probabilities
        var caveats = [ClassificationCaveat]()
        if !outside.isEmpty, !result.isEmpty {
            caveats.append(.unlikeTraining)
            let uniform = 1 / Double(result.count)
            result = result.map { (1 - unlikeShrinkage) * $0 + unlikeShrinkage * uniform }
        }
        if transactions < minimumTransactions {
            caveats.append(.tooLittleHistory)
            result = capped(result, at: historyCap)
        }
        return (result, caveats)
    }

    /// `probabilities` (summing to 1) with its largest value lowered to `cap` and the excess shared among the others
    /// in proportion to their values (evenly when they are all 0).
    static func capped(_ probabilities: [Double], at cap: Double) -> [Double] {
        guard probabilities.count > 1,
              let top = probabilities.indices.max(by: { probabilities[$0] < probabilities[$1] }),
              probabilities[top] > cap else { return probabilities }
        let rest = probabilities.enumerated().filter { $0.offset != top }.reduce(0) { $0 + $1.element }
        let excess = probabilities[top] - cap
        return probabilities.enumerated().map { index, value in
            if index == top { return cap }
            return rest > 0 ? value + excess * value / rest : value + excess / Double(probabilities.count - 1)
        }
    }
}
