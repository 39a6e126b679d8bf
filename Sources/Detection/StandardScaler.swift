/// Standard scaling, as scikit-learn's `StandardScaler`: `(x − mean) / scale`, where `scale` is the population
/// standard deviation of the training column, or 1 for a constant column.
public struct StandardScaler: Hashable, Codable, Sendable {
    /// Column means of the training data.
    public var mean: [Double]
    /// Column scales.
    public var scale: [Double]

    public init(mean: [Double], scale: [Double]) {
        self.mean = mean
        self.scale = scale
    }

    /// Fits the scaler to rows of equal length.
    public static func fit(_ rows: [[Double]]) -> StandardScaler {
        let width = rows.first?.count ?? 0
        var mean = [Double](repeating: 0, count: width)
        for row in rows { for j in 0..<width { mean[j] += row[j] } }
        for j in 0..<width { mean[j] /= Double(max(rows.count, 1)) }
        var variance = [Double](repeating: 0, count: width)
        for row in rows { for j in 0..<width { variance[j] += (row[j] - mean[j]) * (row[j] - mean[j]) } }
        let scale = variance.map { sum -> Double in
            let std = (sum / Double(max(rows.count, 1))).squareRoot()
            return std > 1e-12 ? std : 1
        }
        return StandardScaler(mean: mean, scale: scale)
    }

    /// The scaled row.
    public func transform(_ row: [Double]) -> [Double] {
        var out = row
        for j in out.indices { out[j] = (row[j] - mean[j]) / scale[j] }
        return out
    }
}
