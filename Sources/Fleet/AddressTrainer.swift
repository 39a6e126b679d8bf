import ChainAnalysis
import FleetFiles

/// A participant's local training of the address-behaviour model, warm-started from the global weights.
///
/// `epochs` full-batch gradient steps on the class-balanced cross-entropy with L2 penalty, over features
/// standardised with the base model's means and scales: the loss `BehaviourModel.train` minimises, started from the
/// global weights instead of zero. Labels are class indices into the base model's classes.
public struct AddressTrainer: Sendable {
    /// The model whose classes, features and standardisation are used.
    public let base: BehaviourModel
    /// Gradient steps.
    public var epochs: Int
    /// The step size.
    public var learningRate: Double
    /// The L2 penalty.
    public var l2: Double

    /// A trainer over a base model; the defaults are `BehaviourModel.Options`' step and penalty.
    public init(base: BehaviourModel, epochs: Int = 50, learningRate: Double = 0.5, l2: Double = 1e-3) {
        self.base = base
        self.epochs = epochs
        self.learningRate = learningRate
        self.l2 = l2
    }

    /// Trains from `global` on the local examples.
    ///
    /// - Returns: the local vector, same layout as `AddressModelVector`.
    /// - Throws: `FleetError` when `global` does not fit, or a label is not a class index.
    public func train(from global: [Double], examples: LabelledExamples) throws(FleetError) -> [Double] {
        var model = try AddressModelVector.model(global, base: base)
        model.temperature = 1
        let classes = base.classes.count, width = base.featureNames.count
        let labels = try examples.labels.map { label throws(FleetError) -> Int in
            guard label >= 0, label < Double(classes), label == label.rounded() else {
                throw FleetError("label \(label) is not a class index of the base model (0..<\(classes))")
            }
            return Int(label)
        }
        guard !labels.isEmpty else { return global }
        let standardised = examples.features.map { row in
            (0..<width).map { (row[$0] - base.means[$0]) / base.scales[$0] }
        }
        var counts = [Int](repeating: 0, count: classes)
        for label in labels { counts[label] += 1 }
        let present = counts.filter { $0 > 0 }.count
        let classWeight = counts.map { $0 > 0 ? Double(labels.count) / (Double(present) * Double($0)) : 0 }
        let totalWeight = labels.reduce(0) { $0 + classWeight[$1] }
        for _ in 0..<epochs {
            var gradW = [[Double]](repeating: [Double](repeating: 0, count: width), count: classes)
            var gradB = [Double](repeating: 0, count: classes)
            for (row, (x, y)) in zip(examples.features, zip(standardised, labels)) {
                let p = model.probabilities(row)
                let weight = classWeight[y] / totalWeight
                for k in 0..<classes {
                    let error = (p[k] - (k == y ? 1 : 0)) * weight
                    gradB[k] += error
                    for j in 0..<width { gradW[k][j] += error * x[j] }
                }
            }
            for k in 0..<classes {
                model.bias[k] -= learningRate * gradB[k]
                for j in 0..<width { model.weights[k][j] -= learningRate * (gradW[k][j] + l2 * model.weights[k][j]) }
            }
        }
        return AddressModelVector.vector(of: model)
    }
}
