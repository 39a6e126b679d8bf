import DetectionTraining
import PoolDetection
import Capture
import Detection

/// Trains the pool-connection classifier on flow summaries of pool sessions (positive) and ordinary traffic.
public struct PoolShapeTrainer: Sendable {
    /// The SVM's regularisation (scikit-learn's C).
    public var penalty: Double
    /// Summaries of flows younger than this (seconds) are not used, and the model will not score them.
    public var minimumAge: Double
    /// Pushes and replies a flow must show for its full score (`PoolShapeStage.confidenceMessages`); 0 for none.
    public var confidenceMessages: Double
    /// When set, a second stage (`PoolShapeModel.early`) is trained apart on the summaries of at least this age and
    /// scores flows until they reach `minimumAge`.
    public var earlyMinimumAge: Double?
    /// The early stage's `confidenceMessages`; 0 for none.
    public var earlyConfidenceMessages: Double
    /// The early stage's `threshold`: the decision value above which a young flow is pool-shaped.
    public var earlyThreshold: Double
    /// When set, each stage keeps the feature ranges of its pool rows widened by this many standard deviations
    /// (`PoolShapeStage.envelope`): a flow outside them is not pool-shaped.
    public var envelopeMargin: Double?

    /// Chosen by cross-validation on the training captures (docs/pool-evidence.md): penalties from 0.1 to 0.3 gave
    /// the fewest false flows (one), 0.5 and above two; 0.2 is the middle of that range.
    public static let defaultPenalty = 0.2

    public init(penalty: Double = defaultPenalty, minimumAge: Double = PoolShapeModel.defaultMinimumAge,
                confidenceMessages: Double = 0, earlyMinimumAge: Double? = nil, earlyConfidenceMessages: Double = 0,
                earlyThreshold: Double = 0, envelopeMargin: Double? = nil) {
        self.penalty = penalty
        self.minimumAge = minimumAge
        self.confidenceMessages = confidenceMessages
        self.earlyMinimumAge = earlyMinimumAge
        self.earlyConfidenceMessages = earlyConfidenceMessages
        self.earlyThreshold = earlyThreshold
        self.envelopeMargin = envelopeMargin
    }

    /// The youngest summaries training reads (the early stage's minimum age when there is one).
    public var youngestAge: Double { min(earlyMinimumAge ?? minimumAge, minimumAge) }

    /// Fits scaler and SVM, classes weighted by their inverse frequency (there are far fewer pool flows), and the
    /// early stage the same way when `earlyMinimumAge` is set.
    /// - Throws: `PoolTrainingError` when a class has no summary old enough.
    public func train(pool: [FlowShape], ordinary: [FlowShape], record: PoolTrainingRecord)
        throws(PoolTrainingError) -> PoolShapeModel {
        var model = try trainStage(pool: pool, ordinary: ordinary, record: record)
        if let earlyMinimumAge {
            let early = PoolShapeTrainer(penalty: penalty, minimumAge: earlyMinimumAge,
                                         confidenceMessages: earlyConfidenceMessages, envelopeMargin: envelopeMargin)
            var stage = try early.trainStage(pool: pool, ordinary: ordinary, record: record).stage
            stage.threshold = earlyThreshold
            model.early = stage
        }
        return model
    }

    private func trainStage(pool: [FlowShape], ordinary: [FlowShape], record: PoolTrainingRecord)
        throws(PoolTrainingError) -> PoolShapeModel {
        let positives = pool.filter { $0.age >= minimumAge }
        let negatives = ordinary.filter { $0.age >= minimumAge }
        guard !positives.isEmpty else { throw .noSamples("no pool flow summary of at least \(minimumAge) s") }
        guard !negatives.isEmpty else { throw .noSamples("no ordinary flow summary of at least \(minimumAge) s") }
        let plain = (positives + negatives).map(PoolFlowFeatures.row)
        let expansion = StandardScaler.fit(plain)
        let rows = plain.map { PoolFlowFeatures.expanded($0, around: expansion) }
        let labels = positives.map { _ in true } + negatives.map { _ in false }
        let scaler = StandardScaler.fit(rows)
        let total = Double(rows.count)
        let weights = (positive: total / (2 * Double(positives.count)), negative: total / (2 * Double(negatives.count)))
        let trainer = LinearSVCTrainer(penalty: penalty, classWeights: weights, maximumIterations: 5000)
        let result = trainer.train(rows.map(scaler.transform), labels: labels)
        var trained = record
        trained.poolSummaries = positives.count
        trained.ordinarySummaries = negatives.count
        let envelope = envelopeMargin.map {
            PoolFeatureEnvelope(rows: Array(plain.prefix(positives.count)), deviations: expansion.scale, margin: $0)
        }
        let stage = PoolShapeStage(expansion: expansion, scaler: scaler, classifier: result.model, threshold: 0,
                                   minimumAge: minimumAge,
                                   confidenceMessages: confidenceMessages > 0 ? confidenceMessages : nil,
                                   envelope: envelope)
        return PoolShapeModel(stage: stage, training: trained)
    }
}

/// Why training could not start.
public enum PoolTrainingError: Error, Hashable, Sendable, CustomStringConvertible {
    case noSamples(String)

    public var description: String {
        switch self {
        case .noSamples(let what): "cannot train the pool model: \(what) (record longer sessions or lower --minimum-age)"
        }
    }
}
