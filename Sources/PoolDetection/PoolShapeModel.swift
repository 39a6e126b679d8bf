import Capture
import Detection
import Foundation

/// The pool-connection classifier: a linear SVM over `PoolFlowFeatures` and their squares (`PoolFlowFeatures.expanded`),
/// after standard scaling, stored as versioned JSON (`etc/coinsentry/pool-model.json`, written by
/// `coinsentry train-pool`).
public struct PoolShapeModel: Hashable, Codable, Sendable {
    public static let format = "coinsentry-pool-shape-model"
    /// Version 2: the squared terms (`expansion`) were added.
    public static let version = 2

    public var format: String
    public var version: Int
    /// The feature names, in row order (must equal `PoolFlowFeatures.names`).
    public var features: [String]
    /// Standardises a feature row before its squares are appended (fitted on the training rows).
    public var expansion: StandardScaler
    /// Scales the expanded row (features, then their squares) for the classifier.
    public var scaler: StandardScaler
    public var classifier: LinearSVC
    /// A flow is pool-shaped when its decision value is above this.
    public var threshold: Double
    /// Flows younger than this (seconds) are not scored: a new connection has no shape yet.
    public var minimumAge: Double
    /// Jobs pushed and requests answered (pushes plus replies) a flow must have shown for its score to count in full;
    /// a flow that has shown fewer has its score scaled down in proportion, so a young flow is judged on what it has
    /// seen. Absent or 0: no scaling.
    public var confidenceMessages: Double?
    /// What it was trained on, for the record.
    public var training: PoolTrainingRecord

    /// Flows are scored from ten minutes of age: younger ones have too few jobs and shares to tell a pool from a
    /// poll, and cross-validation on the training captures (docs/pool-evidence.md) found most false flows there.
    public static let defaultMinimumAge = 600.0

    public init(expansion: StandardScaler, scaler: StandardScaler, classifier: LinearSVC, threshold: Double = 0,
                minimumAge: Double = Self.defaultMinimumAge, confidenceMessages: Double? = nil,
                training: PoolTrainingRecord) {
        self.confidenceMessages = confidenceMessages
        format = Self.format
        version = Self.version
        features = PoolFlowFeatures.names
        self.expansion = expansion
        self.scaler = scaler
        self.classifier = classifier
        self.threshold = threshold
        self.minimumAge = minimumAge
        self.training = training
    }

    /// The decision value for `shape` (positive: pool-shaped), or nil when the flow is too young to judge.
    public func decision(_ shape: FlowShape) -> Double? {
        guard shape.age >= minimumAge else { return nil }
        return classifier.decision(scaler.transform(PoolFlowFeatures.expanded(PoolFlowFeatures.row(shape),
                                                                              around: expansion)))
    }

    /// The flow's score in 0...1 (the logistic of the decision value less the threshold, times the confidence), or
    /// nil when too young.
    public func score(_ shape: FlowShape) -> Double? {
        decision(shape).map { confidence(shape) / (1 + exp(-($0 - threshold))) }
    }

    /// How much of its score a flow has earned, 0...1: its pushes and replies over `confidenceMessages`.
    public func confidence(_ shape: FlowShape) -> Double {
        guard let needed = confidenceMessages, needed > 0 else { return 1 }
        return min(1, Double(shape.pushes + shape.replies) / needed)
    }

    /// Reads and checks a model file.
    /// - Throws: `ModelError` saying what is wrong (unreadable, not JSON, wrong format or version, dimensions).
    public static func load(_ path: String) throws(ModelError) -> PoolShapeModel {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .io(path: path, reason: "cannot read the pool model: \(error.localizedDescription)")
        }
        let model = try ModelJSON.decode(PoolShapeModel.self, from: data, path: path)
        guard model.format == format else {
            throw .corrupt(path: path, reason: "format is \"\(model.format)\", expected \"\(format)\"")
        }
        guard model.version == version else {
            throw .unsupportedVersion(path: path, found: model.version, supported: version)
        }
        try model.check(path: path)
        return model
    }

    private func check(path: String) throws(ModelError) {
        guard features == PoolFlowFeatures.names else {
            throw .inconsistent(path: path, reason: "features \(features) are not this build's \(PoolFlowFeatures.names)")
        }
        let width = features.count
        guard expansion.mean.count == width, expansion.scale.count == width else {
            throw .inconsistent(path: path, reason: "expansion (\(expansion.mean.count), \(expansion.scale.count)) "
                                + "must have one entry per feature (\(width))")
        }
        guard scaler.mean.count == 2 * width, scaler.scale.count == 2 * width,
              classifier.weights.count == 2 * width else {
            throw .inconsistent(path: path, reason: "scaler (\(scaler.mean.count), \(scaler.scale.count)) and weights "
                                + "(\(classifier.weights.count)) must have one entry per feature and per square "
                                + "(\(2 * width))")
        }
        let scales = expansion.scale + scaler.scale
        let numbers = expansion.mean + scaler.mean + scales + classifier.weights
            + [classifier.bias, threshold, minimumAge, confidenceMessages ?? 0]
        guard numbers.allSatisfy(\.isFinite), scales.allSatisfy({ $0 > 0 }), minimumAge >= 0,
              (confidenceMessages ?? 0) >= 0 else {
            throw .inconsistent(path: path, reason: "non-finite numbers, a scale not above zero, or a negative minimum "
                                + "age or confidence")
        }
    }

    /// Writes the model as pretty-printed JSON.
    /// - Throws: `ModelError.io`.
    public func write(to path: String) throws(ModelError) {
        try ModelJSON.write(self, to: path, what: "the pool model")
    }
}

/// The captures a pool model was trained on and how many flow summaries each class had.
public struct PoolTrainingRecord: Hashable, Codable, Sendable {
    public var poolCaptures: [String]
    public var ordinaryCaptures: [String]
    public var poolSummaries: Int
    public var ordinarySummaries: Int

    public init(poolCaptures: [String], ordinaryCaptures: [String], poolSummaries: Int, ordinarySummaries: Int) {
        self.poolCaptures = poolCaptures
        self.ordinaryCaptures = ordinaryCaptures
        self.poolSummaries = poolSummaries
        self.ordinarySummaries = ordinarySummaries
    }
}
