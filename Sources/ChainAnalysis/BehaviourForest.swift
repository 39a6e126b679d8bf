import Foundation
import Randomness

/// A random forest classifying address behaviour, with temperature-scaled (calibrated) confidences: every class gets
/// a confidence and they sum to 1.
///
/// Each tree is grown on a bootstrap sample of the fitted examples, trying a random subset of the features at each
/// split; the forest's class shares are the mean of its trees' leaf shares. Calibration divides their logarithms
/// (smoothed by ``smoothing``) by a temperature fitted on held-out examples. Saved as versioned JSON.
public struct BehaviourForest: Codable, Sendable {
    /// Version of this file format.
    public var formatVersion = 1
    /// The kind of model, so that a model file says what it holds.
    public var kind = AddressModelKind.forest
    /// Class names, in output order.
    public var classes: [String]
    /// Feature names, in input order (see ``AddressFeatures/names``).
    public var featureNames: [String]
    public var trees: [DecisionTree]
    /// Temperature dividing the log-shares, fitted on held-out data.
    public var temperature: Double
    /// Range of the fitted examples' features.
    public var featureRange: FeatureRange
    /// What the model was trained on.
    public var training: TrainingSummary

    /// Added to every class share before its logarithm is taken, so that a class no tree votes for keeps a finite
    /// score.
    public static let smoothing = 1e-3

    /// A summary of training.
    public struct TrainingSummary: Codable, Sendable {
        /// Examples per class used for growing the trees.
        public var fitted: [String: Int]
        /// Examples per class held out for calibration.
        public var heldOut: [String: Int]
        /// Examples per data set.
        public var sets: [String: Int]
        /// Negative log-likelihood on the held-out examples before and after temperature scaling.
        public var heldOutLogLossBefore: Double?
        public var heldOutLogLossAfter: Double?
        public var trees: Int
        public var maxDepth: Int
        public var minLeaf: Int
    }

    /// Training options.
    public struct Options: Sendable {
        public var trees = 60
        public var tree = DecisionTree.Options()
        /// Share of each class held out for calibration when no calibration examples are given.
        public var holdout = 0.25
        public var seed: UInt64 = 1
        public init() {}
    }

    /// The trees' mean class shares, before calibration.
    public func shares(_ features: [Double]) -> [Double] {
        var sum = [Double](repeating: 0, count: classes.count)
        for tree in trees {
            for (index, share) in tree.distribution(features).enumerated() { sum[index] += share }
        }
        return sum.map { $0 / Double(max(trees.count, 1)) }
    }

    func scores(_ features: [Double]) -> [Double] { shares(features).map { log($0 + Self.smoothing) } }

    /// Calibrated class probabilities of a feature vector (summing to 1).
    public func probabilities(_ features: [Double]) -> [Double] {
        softmax(scores(features), temperature: temperature)
    }

    /// Trains on `examples`; the temperature is fitted on `calibration` when given, else on a stratified
    /// ``Options/holdout`` share of each class kept out of the trees.
    public static func train(examples: [(features: [Double], label: String, set: String)],
                             calibration: [(features: [Double], label: String, set: String)]? = nil,
                             featureNames: [String], options: Options = Options()) throws -> BehaviourForest {
        let split = try TrainingSplit(examples: examples, calibration: calibration, featureNames: featureNames,
                                      holdout: options.holdout, seed: options.seed)
        let x = split.fit.map(\.x), y = split.fit.map(\.y)
        var treeOptions = options.tree
        if treeOptions.featuresPerSplit == nil {
            treeOptions.featuresPerSplit = max(1, Int(Double(featureNames.count).squareRoot().rounded()))
        }
        var generator = SplitMix64(seed: options.seed &+ 1)
        let trees = (0..<options.trees).map { _ in
            let sample = (0..<x.count).map { _ in Int.random(in: 0..<x.count, using: &generator) }
            return DecisionTree.grow(x: x, y: y, sample: sample, classes: split.classes.count, options: treeOptions,
                                     generator: &generator)
        }
        var forest = BehaviourForest(
            classes: split.classes, featureNames: featureNames, trees: trees, temperature: 1,
            featureRange: FeatureRange(examples: x),
            training: TrainingSummary(
                fitted: TrainingSplit.counts(split.fit, classes: split.classes),
                heldOut: TrainingSplit.counts(split.held, classes: split.classes),
                sets: Dictionary(grouping: examples, by: \.set).mapValues(\.count),
                trees: options.trees, maxDepth: treeOptions.maxDepth, minLeaf: treeOptions.minLeaf))
        if let fit = TemperatureScaling.fit(split.held.map { (forest.scores($0.x), $0.y) }) {
            forest.temperature = fit.temperature
            forest.training.heldOutLogLossBefore = fit.logLossBefore
            forest.training.heldOutLogLossAfter = fit.logLossAfter
        }
        return forest
    }
}
