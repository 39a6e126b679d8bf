import Capture
import PoolDetection

/// Runs a capture file through the sensor's whole path to its end, as `coinsentryd` would have decided on the same
/// traffic: the capture thread, the host series, and, with a pipeline, windows, model, vote and evidence into the
/// fused verdict (each batch's evidence before its interval events). `coinsentry replay`, `coinsentry evaluate
/// --capture` and the tests call it in-process.
public struct OfflineReplay: Sendable {
    /// What a replay leaves: the per-host series and evidence, the counters, and the verdict changes in the order the
    /// pipeline made them.
    public struct Result: Sendable {
        public var recorder: HostSeriesRecorder
        public var statistics: CaptureStatistics
        /// Why the capture ended early (a file cut mid-packet), if it did.
        public var endError: CaptureError?
        public var pipeline: SensorPipeline?
        public var changes: [VerdictChange]
        /// The interval width in seconds.
        public var interval: Double
        /// Pool-shaped flows per host (empty without a pool model).
        public var poolShapes: [HostAddress: [PoolShapeEvidence]]

        public init(recorder: HostSeriesRecorder, statistics: CaptureStatistics, endError: CaptureError? = nil,
                    pipeline: SensorPipeline? = nil, changes: [VerdictChange] = [], interval: Double = 1,
                    poolShapes: [HostAddress: [PoolShapeEvidence]] = [:]) {
            self.recorder = recorder
            self.statistics = statistics
            self.endError = endError
            self.pipeline = pipeline
            self.changes = changes
            self.interval = interval
            self.poolShapes = poolShapes
        }
    }

    public var configuration: CaptureConfiguration
    /// Keep every host's interval series (for traces and labelled recordings), not only totals.
    public var keepingSeries: Bool
    /// The decision path; without one only counts and evidence are gathered.
    public var pipeline: SensorPipeline?
    /// Scores flow summaries for the report when the pipeline does not (no pipeline, or pool-shape left out).
    public var poolModel: PoolShapeModel?
    /// The kinds of evidence the pipeline takes; nil for all (so each kind's effect can be measured).
    public var evidenceKinds: Set<EvidenceKind>?

    public init(configuration: CaptureConfiguration, keepingSeries: Bool = false, pipeline: SensorPipeline? = nil,
                poolModel: PoolShapeModel? = nil, evidenceKinds: Set<EvidenceKind>? = nil) {
        self.configuration = configuration
        self.keepingSeries = keepingSeries
        self.pipeline = pipeline
        self.poolModel = poolModel
        self.evidenceKinds = evidenceKinds
    }

    /// Runs the capture to its end; `progress` is told the counters after each batch.
    /// - Throws: `CaptureError` when the capture cannot start.
    public func run(progress: ((CaptureStatistics) -> Void)? = nil) throws(CaptureError) -> Result {
        let session = try CaptureSession(configuration)
        try session.start()
        var recorder = HostSeriesRecorder(keepingSeries: keepingSeries)
        var pipeline = pipeline
        var changes = [VerdictChange]()
        // The pipeline's own scores are reported when it takes pool-shape evidence; a tracker of its own only when
        // it does not.
        let pipelineScores = pipeline?.intake.poolModel != nil && evidenceKinds.map { $0.contains(.poolShape) } ?? true
        var tracker = pipelineScores ? nil : poolModel.map(PoolShapeTracker.init)
        while let batch = session.nextBatch(timeout: 1) {
            for evidence in batch.evidence {
                recorder.record(evidence)
                if case .flowShape(let shape) = evidence { tracker?.add(shape) }
                guard pipeline != nil, evidenceKinds.map({ $0.contains(evidence.kind) }) ?? true else { continue }
                changes += pipeline!.add(evidence)
            }
            for event in batch.events {
                recorder.record(event)
                if let found = pipeline?.handle(event) { changes += found }
            }
            progress?(session.statistics)
        }
        return Result(recorder: recorder, statistics: session.statistics, endError: session.endError,
                      pipeline: pipeline, changes: changes, interval: configuration.interval,
                      poolShapes: tracker?.poolShaped ?? pipeline?.intake.poolShaped ?? [:])
    }
}
