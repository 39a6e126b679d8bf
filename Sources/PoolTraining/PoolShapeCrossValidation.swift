import DetectionTraining
import Detection
import PoolDetection
import Capture

/// Cross-validation of the pool-connection classifier inside its training set, split by capture: each capture is
/// scored by a model trained on all the others, so feature and parameter choices are judged without the held-out set.
public enum PoolShapeCrossValidation {
    /// One training capture's flow summaries and its class.
    public struct LabelledCapture: Sendable {
        public var name: String
        public var isPool: Bool
        public var shapes: [FlowShape]

        public init(name: String, isPool: Bool, shapes: [FlowShape]) {
            self.name = name
            self.isPool = isPool
            self.shapes = shapes
        }
    }

    /// Leave one capture out: per-flow counts over every capture, each scored by a model that never saw it.
    /// `heldOut`, when given, receives each capture with the model that scored it.
    /// - Throws: `PoolTrainingError` when leaving a capture out leaves a class without summaries.
    public static func leaveOneCaptureOut(_ captures: [LabelledCapture], trainer: PoolShapeTrainer,
                                          heldOut: ((LabelledCapture, PoolShapeModel) -> Void)? = nil)
        throws(PoolTrainingError) -> PoolFlowEvaluation {
        var evaluation = PoolFlowEvaluation()
        for (index, held) in captures.enumerated() {
            let rest = captures.enumerated().filter { $0.offset != index }.map(\.element)
            let record = PoolTrainingRecord(poolCaptures: rest.filter(\.isPool).map(\.name),
                                            ordinaryCaptures: rest.filter { !$0.isPool }.map(\.name),
                                            poolSummaries: 0, ordinarySummaries: 0)
            let model = try trainer.train(pool: rest.filter(\.isPool).flatMap(\.shapes),
                                          ordinary: rest.filter { !$0.isPool }.flatMap(\.shapes), record: record)
            evaluation.add(capture: held.name, isPool: held.isPool,
                           flows: FlowShapeCollector.flowScores(held.shapes, model: model))
            heldOut?(held, model)
        }
        return evaluation
    }
}
