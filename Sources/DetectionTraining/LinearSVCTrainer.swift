import Detection
import Randomness

/// Trains a `LinearSVC` with LIBLINEAR's dual coordinate descent for L2-regularised, squared-hinge-loss SVC (its
/// solver 1, `L2R_L2LOSS_SVC_DUAL`, which scikit-learn's `LinearSVC` uses by default).
///
/// Primal problem: minimise `½‖w̃‖² + Σ_i C_i · max(0, 1 − y_i w̃·x̃_i)²`, where `x̃ = [x, interceptScaling]` (the bias
/// is learned as a weight on a constant feature and is therefore regularised too, as in LIBLINEAR) and
/// `C_i = C · classWeight(y_i)`. The dual is solved one coordinate at a time with LIBLINEAR's shrinking and its
/// stopping rule (projected-gradient spread ≤ `tolerance`).
public struct LinearSVCTrainer: Sendable {
    /// The penalty `C`.
    public var penalty: Double
    /// Weight of the positive (mining) class and the negative class; `nil` balances them as scikit-learn's
    /// `class_weight="balanced"`: `n / (2 · n_class)`.
    public var classWeights: (positive: Double, negative: Double)?
    /// The constant feature value the bias is learned on.
    public var interceptScaling: Double
    /// Stopping tolerance on the projected gradient.
    public var tolerance: Double
    /// Most passes over the data.
    public var maximumIterations: Int
    /// Seed of the coordinate order.
    public var seed: UInt64

    public init(
        penalty: Double = 1, classWeights: (positive: Double, negative: Double)? = nil,
        interceptScaling: Double = 1, tolerance: Double = 1e-4, maximumIterations: Int = 1000, seed: UInt64 = 1
    ) {
        self.penalty = penalty
        self.classWeights = classWeights
        self.interceptScaling = interceptScaling
        self.tolerance = tolerance
        self.maximumIterations = maximumIterations
        self.seed = seed
    }

    /// The outcome of a training run.
    public struct Result: Sendable {
        /// The classifier.
        public var model: LinearSVC
        /// Passes over the data.
        public var iterations: Int
        /// True when the stopping rule was met before `maximumIterations`.
        public var converged: Bool
        /// The class weights used (positive, negative).
        public var classWeights: (positive: Double, negative: Double)
    }

    /// Trains on rows with labels (`true` = mining).
    public func train(_ rows: [[Double]], labels: [Bool]) -> Result {
        precondition(rows.count == labels.count && !rows.isEmpty, "one label per row, at least one row")
        let count = rows.count
        let width = rows[0].count
        let positives = labels.filter { $0 }.count
        let weights = classWeights ?? (
            positive: positives > 0 ? Double(count) / (2 * Double(positives)) : 1,
            negative: positives < count ? Double(count) / (2 * Double(count - positives)) : 1)
        // Rows with the constant bias feature appended, flattened for speed.
        let stride = width + 1
        var data = [Double](repeating: 0, count: count * stride)
        for (i, row) in rows.enumerated() {
            for j in 0..<width { data[i * stride + j] = row[j] }
            data[i * stride + width] = interceptScaling
        }
        let y = labels.map { $0 ? 1.0 : -1.0 }
        let diagonal = labels.map { 0.5 / (penalty * ($0 ? weights.positive : weights.negative)) }
        var w = [Double](repeating: 0, count: stride)
        var alpha = [Double](repeating: 0, count: count)
        var index = Array(0..<count)
        var qd = [Double](repeating: 0, count: count)
        for i in 0..<count {
            var norm = diagonal[i]
            for j in 0..<stride { norm += data[i * stride + j] * data[i * stride + j] }
            qd[i] = norm
        }
        var generator = SplitMix64(seed: seed)
        var activeSize = count
        var projectedMaxOld = Double.infinity
        var iteration = 0
        var converged = false
        data.withUnsafeBufferPointer { x in
            w.withUnsafeMutableBufferPointer { w in
                while iteration < maximumIterations {
                    var projectedMax = -Double.infinity
                    var projectedMin = Double.infinity
                    for i in 0..<activeSize {
                        let j = i + Int.random(in: 0..<(activeSize - i), using: &generator)
                        index.swapAt(i, j)
                    }
                    var s = 0
                    while s < activeSize {
                        let i = index[s]
                        let base = i * stride
                        var dot = 0.0
                        for j in 0..<stride { dot += w[j] * x[base + j] }
                        let gradient = y[i] * dot - 1 + alpha[i] * diagonal[i]
                        var projected = 0.0
                        if alpha[i] == 0 {
                            if gradient > projectedMaxOld {
                                activeSize -= 1
                                index.swapAt(s, activeSize)
                                continue
                            } else if gradient < 0 {
                                projected = gradient
                            }
                        } else {
                            projected = gradient
                        }
                        projectedMax = max(projectedMax, projected)
                        projectedMin = min(projectedMin, projected)
                        if abs(projected) > 1e-12 {
                            let old = alpha[i]
                            alpha[i] = max(old - gradient / qd[i], 0)
                            let step = (alpha[i] - old) * y[i]
                            for j in 0..<stride { w[j] += step * x[base + j] }
                        }
                        s += 1
                    }
                    iteration += 1
                    if projectedMax - projectedMin <= tolerance {
                        if activeSize == count {
                            converged = true
                            break
                        }
                        activeSize = count
                        projectedMaxOld = .infinity
                        continue
                    }
                    projectedMaxOld = projectedMax <= 0 ? .infinity : projectedMax
                }
            }
        }
        let model = LinearSVC(weights: Array(w[0..<width]), bias: w[width] * interceptScaling)
        return Result(model: model, iterations: iteration, converged: converged, classWeights: weights)
    }
}
