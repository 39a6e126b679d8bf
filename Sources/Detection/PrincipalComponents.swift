/// Principal component analysis of (scaled) feature rows through LAPACK's symmetric eigensolver.
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

    /// Fits PCA and keeps the fewest components whose explained variance reaches `varianceToKeep` (0 < v ≤ 1).
    ///
    /// - Throws: when LAPACK fails to converge.
    public static func fit(_ rows: [[Double]], varianceToKeep: Double) throws -> PrincipalComponents {
        let width = rows.first?.count ?? 0
        var mean = [Double](repeating: 0, count: width)
        for row in rows { for j in 0..<width { mean[j] += row[j] } }
        for j in 0..<width { mean[j] /= Double(max(rows.count, 1)) }
        var covariance = [Double](repeating: 0, count: width * width)
        var centred = [Double](repeating: 0, count: width)
        covariance.withUnsafeMutableBufferPointer { c in
            for row in rows {
                for j in 0..<width { centred[j] = row[j] - mean[j] }
                for i in 0..<width where centred[i] != 0 {
                    let ci = centred[i]
                    for j in i..<width { c[i * width + j] += ci * centred[j] }
                }
            }
        }
        let denominator = Double(max(rows.count - 1, 1))
        for index in covariance.indices { covariance[index] /= denominator }
        let (values, vectors) = try Lapack.symmetricEigen(covariance, n: width)
        let total = values.reduce(0) { $0 + max($1, 0) }
        var components = [[Double]]()
        var ratios = [Double]()
        var kept = 0.0
        for column in stride(from: width - 1, through: 0, by: -1) {
            var component = (0..<width).map { vectors[$0 * width + column] }
            if let largest = component.max(by: { abs($0) < abs($1) }), largest < 0 {
                component = component.map { -$0 }
            }
            let ratio = total > 0 ? max(values[column], 0) / total : 0
            components.append(component)
            ratios.append(ratio)
            kept += ratio
            if kept >= varianceToKeep - 1e-12 { break }
        }
        return PrincipalComponents(mean: mean, components: components, explainedVarianceRatio: ratios)
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
