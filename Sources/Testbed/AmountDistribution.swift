import Foundation

/// A distribution of amounts in BTC, as scenario files give it, e.g. `{ distribution = "lognormal", median = 0.05,
/// sigma = 1.0 }`.
public struct AmountDistribution: Codable, Sendable, Equatable {
    /// The distribution's family.
    public enum Family: String, Codable, Sendable {
        /// Always `value`.
        case fixed
        /// Uniform between `min` and `max`.
        case uniform
        /// Log-normal with the given `median` and `sigma` (of the logarithm).
        case lognormal
        /// Exponential with the given `mean`.
        case exponential
    }

    /// The family.
    public var distribution: Family
    /// `fixed`: the amount.
    public var value: Double?
    /// `uniform`: lower bound; for every family, amounts are clamped to at least `min` when it is given.
    public var min: Double?
    /// `uniform`: upper bound; for every family, amounts are clamped to at most `max` when it is given.
    public var max: Double?
    /// `lognormal`: the median.
    public var median: Double?
    /// `lognormal`: standard deviation of the logarithm.
    public var sigma: Double?
    /// `exponential`: the mean.
    public var mean: Double?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case distribution, value, min, max, median, sigma, mean
    }

    /// Creates a distribution.
    public init(_ distribution: Family, value: Double? = nil, min: Double? = nil, max: Double? = nil,
                median: Double? = nil, sigma: Double? = nil, mean: Double? = nil) {
        self.distribution = distribution
        self.value = value
        self.min = min
        self.max = max
        self.median = median
        self.sigma = sigma
        self.mean = mean
    }

    /// A problem with the parameters, or nil when the distribution is usable.
    public var problem: String? {
        switch distribution {
        case .fixed: if (value ?? 0) <= 0 { return "a fixed amount needs value > 0" }
        case .uniform:
            guard let min, let max, min > 0, max >= min else { return "uniform needs 0 < min <= max" }
        case .lognormal:
            guard let median, median > 0, (sigma ?? 0) >= 0 else { return "lognormal needs median > 0, sigma >= 0" }
        case .exponential: if (mean ?? 0) <= 0 { return "exponential needs mean > 0" }
        }
        return nil
    }

    /// Draws an amount in satoshis (at least 1,000, so never dust).
    public func sample(using random: inout SeededRandom) -> Int64 {
        var amount: Double
        switch distribution {
        case .fixed: amount = value ?? 0
        case .uniform: amount = (min ?? 0) + ((max ?? 0) - (min ?? 0)) * random.unit()
        case .lognormal: amount = (median ?? 0) * Foundation.exp((sigma ?? 0) * random.normal())
        case .exponential: amount = random.exponential(mean: mean ?? 0)
        }
        if let min { amount = Swift.max(amount, min) }
        if let max { amount = Swift.min(amount, max) }
        return Swift.max(1_000, Int64((amount * 100_000_000).rounded()))
    }
}
