import Detection

extension PrincipalComponents {
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
}
