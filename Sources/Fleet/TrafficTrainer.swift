import Detection
import FleetFiles
import Randomness

/// A participant's local training of the traffic model's SVC, warm-started from the global weights.
///
/// Windows are projected through the base model's fixed scaler and PCA; then `epochs` passes of stochastic
/// subgradient descent over the shuffled windows (Pegasos' update with a constant step, started from the global
/// weights) minimise `λ/2 ‖w‖² + mean_i c_i · max(0, 1 − y_i (w·z_i + b))`, with the base model's class weights `c`
/// (mining, normal) and `λ = 1 / (C · n)` for its penalty `C` and training-window count `n`, the regularisation of
/// the bootstrap training. The hinge, not the bootstrap solver's squared hinge: its subgradient is bounded by the
/// window's norm, so one far-off window cannot throw a participant's weights away (the squared hinge's grows with
/// the margin, and SGD on it diverged on the real traces). The bias is not regularised.
public struct TrafficTrainer: Sendable {
    /// The model whose scaler, PCA and class weights are used.
    public let base: ModelFile
    /// Passes over the local windows.
    public var epochs: Int
    /// The constant step size.
    public var learningRate: Double
    /// The L2 regularisation `λ`.
    public var lambda: Double
    /// Seed of the shuffles.
    public var seed: UInt64

    /// Creates a trainer over a base model; `lambda` defaults to `1 / (C · n)` of the base model.
    public init(base: ModelFile, epochs: Int = 5, learningRate: Double = 0.01, lambda: Double? = nil,
                seed: UInt64 = 1) {
        self.base = base
        self.epochs = epochs
        self.learningRate = learningRate
        let windows = Double(max(base.training.miningWindows + base.training.normalWindows, 1))
        self.lambda = lambda ?? 1 / (base.svc.penalty * windows)
        self.seed = seed
    }

    /// Raw feature rows projected through the base model's scaler and PCA.
    public func project(_ rows: [[Double]]) -> [[Double]] {
        rows.map { base.pca.transform(base.scaler.transform($0)) }
    }

    /// Trains from `global` (`[w₁ … w_k, b]`) on the local windows (labels 1 = mining, 0 = normal).
    ///
    /// - Returns: the local vector, same layout.
    /// - Throws: `FleetError` when `global` does not fit the base model.
    public func train(from global: [Double], examples: LabelledExamples) throws(FleetError) -> [Double] {
        let width = base.pca.components.count
        guard global.count == width + 1 else {
            throw FleetError("the global arrays hold \(global.count) numbers; the base model needs \(width + 1)")
        }
        let projected = project(examples.features)
        let positive = examples.labels.map { $0 >= 0.5 }
        var w = Array(global[0..<width])
        var b = global[width]
        var order = Array(projected.indices)
        var generator = SplitMix64(seed: seed)
        for _ in 0..<epochs {
            order.shuffle(using: &generator)
            for i in order {
                let z = projected[i]
                let y = positive[i] ? 1.0 : -1.0
                let c = positive[i] ? base.svc.miningWeight : base.svc.normalWeight
                var value = b
                for j in 0..<width { value += w[j] * z[j] }
                let margin = 1 - y * value
                let shrink = 1 - learningRate * lambda
                if margin > 0 {
                    let step = learningRate * c * y
                    for j in 0..<width { w[j] = shrink * w[j] + step * z[j] }
                    b += step
                } else {
                    for j in 0..<width { w[j] *= shrink }
                }
            }
        }
        let local = w + [b]
        guard local.allSatisfy(\.isFinite) else {
            throw FleetError("local training diverged (non-finite weights); lower the learning rate")
        }
        return local
    }
}
