/// A linear support vector classifier: `f(x) = w·x + b`, positive means *mining*.
public struct LinearSVC: Hashable, Codable, Sendable {
    /// Weights, one per input.
    public var weights: [Double]
    /// The bias (intercept).
    public var bias: Double

    public init(weights: [Double], bias: Double) {
        self.weights = weights
        self.bias = bias
    }

    /// The decision value of one input row.
    public func decision(_ row: [Double]) -> Double {
        var sum = bias
        for j in weights.indices { sum += weights[j] * row[j] }
        return sum
    }
}
