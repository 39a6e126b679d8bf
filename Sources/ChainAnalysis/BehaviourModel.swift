import Foundation

/// A multinomial logistic-regression classifier of address behaviour with temperature-scaled (calibrated)
/// probabilities: every class gets a confidence and they sum to 1.
///
/// Saved as versioned JSON: classes, feature names in order, scaler, weights, bias, temperature, the training range
/// of the features and a summary of the training data.
public struct BehaviourModel: Codable, Sendable {
    /// Version of this file format.
    public var formatVersion = 1
    /// Class names, in output order.
    public var classes: [String]
    /// Feature names, in input order (see ``AddressFeatures/names``).
    public var featureNames: [String]
    /// Standardisation: mean and scale per feature.
    public var means: [Double]
    public var scales: [Double]
    /// Weights, one row per class.
    public var weights: [[Double]]
    /// Bias per class.
    public var bias: [Double]
    /// Temperature dividing the logits, fitted on held-out data.
    public var temperature: Double
    /// Range of the fitted examples' features; absent in files written before it was kept.
    public var featureRange: FeatureRange?
    /// What the model was trained on.
    public var training: AddressTrainingSummary

    /// Training options.
    public struct Options: Sendable {
        public var epochs = 800
        public var learningRate = 0.5
        public var l2 = 1e-3
        /// Share of each class held out for calibration.
        public var holdout = 0.25
        public var seed: UInt64 = 1
        public init() {}
    }

    /// Calibrated class probabilities of a feature vector (summing to 1).
    public func probabilities(_ features: [Double]) -> [Double] {
        softmax(logits(features), temperature: temperature)
    }

    func logits(_ features: [Double]) -> [Double] {
        let x = zip(zip(features, means), scales).map { ($0.0 - $0.1) / $1 }
        return weights.indices.map { row in
            var sum = bias[row]
            for (weight, value) in zip(weights[row], x) { sum += weight * value }
            return sum
        }
    }

    /// The most likely class and its confidence.
    public func predict(_ features: [Double]) -> (label: String, confidence: Double, probabilities: [Double]) {
        let probabilities = probabilities(features)
        let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
        return (classes[best], probabilities[best], probabilities)
    }

    /// Trains on `examples` (feature vector and class label).
    ///
    /// The temperature is fitted on `calibration` when given, else on a stratified share of each class
    /// (``Options/holdout``) held out; the weights are fitted on the rest by full-batch gradient descent on the
    /// class-balanced cross-entropy with L2 penalty.
    public static func train(examples: [(features: [Double], label: String, set: String)],
                             calibration: [(features: [Double], label: String, set: String)]? = nil,
                             featureNames: [String], options: Options = Options()) throws -> BehaviourModel {
        let split = try TrainingSplit(examples: examples, calibration: calibration, featureNames: featureNames,
                                      holdout: options.holdout, seed: options.seed)
        let (classes, fit, held) = (split.classes, split.fit, split.held)
        let width = featureNames.count
        var means = [Double](repeating: 0, count: width)
        var scales = [Double](repeating: 1, count: width)
        for column in 0..<width {
            let values = fit.map { $0.x[column] }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
            means[column] = mean
            scales[column] = variance > 1e-12 ? variance.squareRoot() : 1
        }
        let standardised = fit.map { example in
            (zip(zip(example.x, means), scales).map { ($0.0 - $0.1) / $1 }, example.y)
        }
        var counts = [Int](repeating: 0, count: classes.count)
        for example in fit { counts[example.y] += 1 }
        let classWeight = counts.map { $0 > 0 ? Double(fit.count) / (Double(classes.count) * Double($0)) : 0 }
        var weights = [[Double]](repeating: [Double](repeating: 0, count: width), count: classes.count)
        var bias = [Double](repeating: 0, count: classes.count)
        let totalWeight = standardised.reduce(0) { $0 + classWeight[$1.1] }
        for _ in 0..<options.epochs {
            var gradW = [[Double]](repeating: [Double](repeating: 0, count: width), count: classes.count)
            var gradB = [Double](repeating: 0, count: classes.count)
            for (x, y) in standardised {
                var logits = bias
                for row in 0..<classes.count {
                    for column in 0..<width { logits[row] += weights[row][column] * x[column] }
                }
                let p = softmax(logits, temperature: 1)
                let w = classWeight[y] / totalWeight
                for row in 0..<classes.count {
                    let error = (p[row] - (row == y ? 1 : 0)) * w
                    gradB[row] += error
                    for column in 0..<width { gradW[row][column] += error * x[column] }
                }
            }
            for row in 0..<classes.count {
                bias[row] -= options.learningRate * gradB[row]
                for column in 0..<width {
                    let penalty = options.l2 * weights[row][column]
                    weights[row][column] -= options.learningRate * (gradW[row][column] + penalty)
                }
            }
        }
        var model = BehaviourModel(
            classes: classes, featureNames: featureNames, means: means, scales: scales, weights: weights, bias: bias,
            temperature: 1, featureRange: FeatureRange(examples: fit.map(\.x)),
            training: AddressTrainingSummary(split, examples: examples))
        model.training.epochs = options.epochs
        model.training.l2 = options.l2
        let heldScores = held.map { (model.logits($0.x), $0.y) }
        model.temperature = model.training.calibrate(heldScores)
        return model
    }

    /// Checks that the model's features are the ones this build computes.
    public func checkCompatible(featureNames expected: [String]) throws {
        guard formatVersion == 1 else { throw ModelError("model format \(formatVersion) is not supported (1 is)") }
        guard featureNames == expected else {
            throw ModelError("the model was trained on features \(featureNames) but this build computes "
                             + "\(expected); retrain with coinsentry chain train")
        }
    }
}

/// A model that cannot be trained, loaded or used.
public struct ModelError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
