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
    public var training: AddressTrainingSummary

    /// Added to every class share before its logarithm is taken, so that a class no tree votes for keeps a finite
    /// score.
    public static let smoothing = 1e-3

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
            training: AddressTrainingSummary(split, examples: examples))
        forest.training.trees = options.trees
        forest.training.maxDepth = treeOptions.maxDepth
        forest.training.minLeaf = treeOptions.minLeaf
        let heldScores = split.held.map { (forest.scores($0.x), $0.y) }
        forest.temperature = forest.training.calibrate(heldScores)
        return forest
    }
}
