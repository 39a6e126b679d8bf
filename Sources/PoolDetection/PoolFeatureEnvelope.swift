/// The range of a stage's pool training rows, feature by feature, widened on each side by `margin` standard deviations
/// of the feature over all its training rows. A flow outside it on some feature is unlike every pool the stage was
/// trained on: its decision value is an extrapolation (the squared terms grow without bound away from the training
/// mean), so it is not taken for pool-shaped.
public struct PoolFeatureEnvelope: Hashable, Codable, Sendable {
    /// The lowest value each feature may take (the pool rows' lowest less the margin).
    public var low: [Double]
    /// The highest value each feature may take.
    public var high: [Double]
    /// The widening on each side, in standard deviations of the feature over all training rows.
    public var margin: Double

    public init(low: [Double], high: [Double], margin: Double) {
        self.low = low
        self.high = high
        self.margin = margin
    }

    /// The envelope of `rows` (the pool class's feature rows, not empty), each feature widened by `margin` times its
    /// entry in `deviations` (the standard deviations over all training rows).
    public init(rows: [[Double]], deviations: [Double], margin: Double) {
        let width = deviations.count
        var low = [Double](repeating: .infinity, count: width)
        var high = [Double](repeating: -.infinity, count: width)
        for row in rows {
            for j in 0..<width {
                low[j] = min(low[j], row[j])
                high[j] = max(high[j], row[j])
            }
        }
        self.init(low: zip(low, deviations).map { $0 - margin * $1 },
                  high: zip(high, deviations).map { $0 + margin * $1 }, margin: margin)
    }

    /// Whether every feature of `row` lies within its bounds.
    public func contains(_ row: [Double]) -> Bool {
        for j in row.indices where !(row[j] >= low[j] && row[j] <= high[j]) { return false }
        return true
    }
}
