import Capture
import Detection
import Foundation

/// One scorer of the pool-connection classifier: standard scaling, the squared terms, a linear SVM, and the flow ages
/// it judges. `PoolShapeModel` is one stage, with an optional second for younger flows.
public struct PoolShapeStage: Hashable, Codable, Sendable {
    /// Standardises a feature row before its squares are appended (fitted on the training rows).
    public var expansion: StandardScaler
    /// Scales the expanded row (features, then their squares) for the classifier.
    public var scaler: StandardScaler
    public var classifier: LinearSVC
    /// A flow is pool-shaped when its decision value is above this.
    public var threshold: Double
    /// Flows younger than this (seconds) are not scored by this stage.
    public var minimumAge: Double
    /// Jobs pushed and requests answered (pushes plus replies) a flow must have shown for its score to count in full;
    /// a flow that has shown fewer has its score scaled down in proportion. Absent or 0: no scaling.
    public var confidenceMessages: Double?
    /// The feature ranges of the pool rows it was trained on (`train-pool --envelope-margin`); a flow outside them
    /// scores 0. Absent: every flow is scored by its decision value alone.
    public var envelope: PoolFeatureEnvelope?

    public init(expansion: StandardScaler, scaler: StandardScaler, classifier: LinearSVC, threshold: Double,
                minimumAge: Double, confidenceMessages: Double?, envelope: PoolFeatureEnvelope? = nil) {
        self.expansion = expansion
        self.scaler = scaler
        self.classifier = classifier
        self.threshold = threshold
        self.minimumAge = minimumAge
        self.confidenceMessages = confidenceMessages
        self.envelope = envelope
    }

    /// The decision value for `shape` (positive: pool-shaped), or nil when the flow is too young for this stage.
    public func decision(_ shape: FlowShape) -> Double? {
        guard shape.age >= minimumAge else { return nil }
        return decision(row: PoolFlowFeatures.row(shape))
    }

    private func decision(row: [Double]) -> Double {
        classifier.decision(scaler.transform(PoolFlowFeatures.expanded(row, around: expansion)))
    }

    /// Whether `shape`'s features lie within the envelope (true without one).
    public func isWithinEnvelope(_ shape: FlowShape) -> Bool {
        envelope?.contains(PoolFlowFeatures.row(shape)) ?? true
    }

    /// The flow's score in 0...1 (the logistic of the decision value less the threshold, times the confidence; 0
    /// outside the envelope), or nil when too young.
    public func score(_ shape: FlowShape) -> Double? {
        guard shape.age >= minimumAge else { return nil }
        let row = PoolFlowFeatures.row(shape)
        guard envelope?.contains(row) ?? true else { return 0 }
        return confidence(shape) / (1 + exp(-(decision(row: row) - threshold)))
    }

    /// How much of its score a flow has earned, 0...1: its pushes and replies over `confidenceMessages`.
    public func confidence(_ shape: FlowShape) -> Double {
        guard let needed = confidenceMessages, needed > 0 else { return 1 }
        return min(1, Double(shape.pushes + shape.replies) / needed)
    }

    /// Checks the dimensions against `width` features and that every number is usable.
    /// - Throws: `ModelError.inconsistent` naming `path`.
    func check(width: Int, path: String) throws(ModelError) {
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
        if let envelope {
            guard envelope.low.count == width, envelope.high.count == width else {
                throw .inconsistent(path: path, reason: "envelope (\(envelope.low.count), \(envelope.high.count)) must "
                                    + "have one bound of each side per feature (\(width))")
            }
            guard (envelope.low + envelope.high + [envelope.margin]).allSatisfy(\.isFinite),
                  zip(envelope.low, envelope.high).allSatisfy({ $0 <= $1 }), envelope.margin >= 0 else {
                throw .inconsistent(path: path, reason: "envelope bounds not finite, a low bound above its high one, "
                                    + "or a negative margin")
            }
        }
    }
}
