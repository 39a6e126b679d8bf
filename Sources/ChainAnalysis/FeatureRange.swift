/// The range of each feature over a model's training examples, to tell addresses unlike anything trained on.
///
/// A value is inside when it lies within the training minimum and maximum widened on each side by
/// ``marginShare`` of the feature's training span, and by at least ``minimumMargin`` (features are logarithms,
/// shares and flags, so 0.05 is a small step on each).
public struct FeatureRange: Codable, Sendable, Equatable {
    public var lows: [Double]
    public var highs: [Double]

    /// Share of the training span added on each side.
    public static let marginShare = 0.25
    /// Smallest margin on each side.
    public static let minimumMargin = 0.05

    /// The range of `examples` (feature vectors of equal width; at least one).
    public init(examples: [[Double]]) {
        let width = examples.first?.count ?? 0
        lows = (0..<width).map { column in examples.map { $0[column] }.min() ?? 0 }
        highs = (0..<width).map { column in examples.map { $0[column] }.max() ?? 0 }
    }

    /// Indices of the features of `features` outside the widened range.
    public func outside(_ features: [Double]) -> [Int] {
        features.indices.filter { column in
            guard column < lows.count else { return false }
            let margin = max(Self.minimumMargin, Self.marginShare * (highs[column] - lows[column]))
            return features[column] < lows[column] - margin || features[column] > highs[column] + margin
        }
    }
}
