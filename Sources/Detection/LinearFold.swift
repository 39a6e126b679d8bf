/// A linear function of the PCA components, `w·z + b` with `z = pca(scaler(x))`, folded into one linear function of
/// the raw features, `a·x + c`, so that a decision costs one dot product.
///
/// Because every stage is affine: `u = componentsᵀ·w`, `a_j = u_j / scale_j` and
/// `c = b − u·pcaMean − Σ a_j·mean_j`.
struct LinearFold: Sendable {
    let coefficients: [Double]
    let constant: Double

    /// Folds `weights` (one per PCA component) and `bias` through `pca` and `scaler`; dimensions must match.
    init(weights: [Double], bias: Double, scaler: StandardScaler, pca: PrincipalComponents) {
        let width = scaler.mean.count
        var u = [Double](repeating: 0, count: width)
        for (k, component) in pca.components.enumerated() {
            for j in 0..<width { u[j] += component[j] * weights[k] }
        }
        var constant = bias
        var coefficients = [Double](repeating: 0, count: width)
        for j in 0..<width {
            constant -= u[j] * pca.mean[j]
            coefficients[j] = u[j] / scaler.scale[j]
            constant -= coefficients[j] * scaler.mean[j]
        }
        self.coefficients = coefficients
        self.constant = constant
    }

    /// `a·x + c`.
    func value(_ features: [Double]) -> Double {
        var sum = constant
        coefficients.withUnsafeBufferPointer { a in
            features.withUnsafeBufferPointer { x in
                for j in 0..<a.count { sum += a[j] * x[j] }
            }
        }
        return sum
    }
}
