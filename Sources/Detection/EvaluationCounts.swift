/// Confusion counts with *mining* as the positive class, and the rates derived from them.
public struct EvaluationCounts: Hashable, Sendable, Codable {
    public var truePositives = 0
    public var falseNegatives = 0
    public var falsePositives = 0
    public var trueNegatives = 0

    public init() {}

    /// Counts one decision.
    public mutating func add(predictedMining: Bool, actualMining: Bool) {
        switch (predictedMining, actualMining) {
        case (true, true): truePositives += 1
        case (false, true): falseNegatives += 1
        case (true, false): falsePositives += 1
        case (false, false): trueNegatives += 1
        }
    }

    /// Element-wise sum.
    public static func + (lhs: EvaluationCounts, rhs: EvaluationCounts) -> EvaluationCounts {
        var sum = lhs
        sum.truePositives += rhs.truePositives
        sum.falseNegatives += rhs.falseNegatives
        sum.falsePositives += rhs.falsePositives
        sum.trueNegatives += rhs.trueNegatives
        return sum
    }

    public var total: Int { truePositives + falseNegatives + falsePositives + trueNegatives }
    /// TP / (TP + FP); `nil` with no positive prediction.
    public var precision: Double? { ratio(truePositives, truePositives + falsePositives) }
    /// TP / (TP + FN); `nil` with no mining window.
    public var recall: Double? { ratio(truePositives, truePositives + falseNegatives) }
    /// (TP + TN) / all; `nil` when empty.
    public var accuracy: Double? { ratio(truePositives + trueNegatives, total) }
    /// FP / (FP + TN); `nil` with no normal window.
    public var falsePositiveRate: Double? { ratio(falsePositives, falsePositives + trueNegatives) }

    private func ratio(_ numerator: Int, _ denominator: Int) -> Double? {
        denominator == 0 ? nil : Double(numerator) / Double(denominator)
    }

    private enum CodingKeys: String, CodingKey {
        case tp, fn, fp, tn, precision, recall, accuracy, fpr
    }

    /// Encodes as `{"tp", "fn", "fp", "tn", "precision", "recall", "accuracy", "fpr"}`, undefined rates as null.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(truePositives, forKey: .tp)
        try container.encode(falseNegatives, forKey: .fn)
        try container.encode(falsePositives, forKey: .fp)
        try container.encode(trueNegatives, forKey: .tn)
        try container.encode(precision, forKey: .precision)
        try container.encode(recall, forKey: .recall)
        try container.encode(accuracy, forKey: .accuracy)
        try container.encode(falsePositiveRate, forKey: .fpr)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        truePositives = try container.decode(Int.self, forKey: .tp)
        falseNegatives = try container.decode(Int.self, forKey: .fn)
        falsePositives = try container.decode(Int.self, forKey: .fp)
        trueNegatives = try container.decode(Int.self, forKey: .tn)
    }
}
