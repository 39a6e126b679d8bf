/// Principal component analysis of (scaled) feature rows (fitted by `DetectionTraining` through LAPACK's symmetric
/// eigensolver).
///
/// The components are the eigenvectors of the sample covariance `Σ (x − mean)(x − mean)ᵀ / (n − 1)`, by decreasing
/// eigenvalue; each is signed so that its entry of largest magnitude is positive (a stable choice where LAPACK's
/// sign is arbitrary). `transform(x) = components · (x − mean)`.
public struct PrincipalComponents: Hashable, Codable, Sendable {
    /// Column means the data is centred with.
    public var mean: [Double]
    /// Components, one row each, by decreasing explained variance.
    public var components: [[Double]]
    /// The share of total variance each component explains.
    public var explainedVarianceRatio: [Double]

    public init(mean: [Double], components: [[Double]], explainedVarianceRatio: [Double]) {
        self.mean = mean
        self.components = components
        self.explainedVarianceRatio = explainedVarianceRatio
    }

    /// The projection of one row onto the components.
    public func transform(_ row: [Double]) -> [Double] {
        components.map { component in
            var sum = 0.0
            for j in component.indices { sum += component[j] * (row[j] - mean[j]) }
            return sum
        }
    }
}
