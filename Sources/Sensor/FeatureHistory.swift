/// The feature vectors of a host's latest windows, single precision, in one buffer of `limit × width` values allocated
/// at the first window and written round from then on: a host's memory stops growing once it has a window, however
/// long it stays.
public struct FeatureHistory: Sendable {
    private var values: [Float] = []
    /// Values in a vector (the model's feature count).
    private var width = 0
    /// Vectors kept at most.
    private var limit = 0
    /// The slot the next vector goes to.
    private var next = 0
    /// Vectors held, at most `limit`.
    public private(set) var count = 0

    public init() {}

    /// Adds a window's feature vector, keeping the latest `limit`. A vector of another width than those held (a model
    /// with other features) starts the history afresh; another limit keeps the latest vectors that fit.
    public mutating func append(_ features: [Double], keeping limit: Int) {
        guard limit > 0, !features.isEmpty else { return }
        if features.count != width || limit != self.limit {
            let kept = features.count == width ? latest(limit) : []
            width = features.count
            self.limit = limit
            values = [Float](repeating: 0, count: limit * width)
            next = 0
            count = 0
            for vector in kept { write(vector) }
        }
        write(features)
    }

    private mutating func write(_ features: [Double]) {
        let start = next * width
        for (offset, value) in features.enumerated() { values[start + offset] = Float(value) }
        next = next + 1 == limit ? 0 : next + 1
        count = min(count + 1, limit)
    }

    /// The latest `limit` vectors (all held when fewer), oldest first.
    public func latest(_ limit: Int) -> [[Double]] {
        let taken = min(max(0, limit), count)
        return (0..<taken).map { position in
            let slot = (next - taken + position + self.limit) % self.limit
            return values[slot * width..<(slot + 1) * width].map(Double.init)
        }
    }
}
