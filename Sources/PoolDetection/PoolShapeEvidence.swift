import Capture

/// A flow the pool-connection classifier judged pool-shaped: strong evidence of mining, not decisive alone.
public struct PoolShapeEvidence: Hashable, Sendable {
    public var host: HostAddress
    public var remote: HostAddress
    public var remotePort: UInt16
    /// The classifier's score in 0...1 (above 0.5 is pool-shaped); the highest of the flow's summaries.
    public var score: Double
    /// The summary that scored it.
    public var shape: FlowShape

    public init(shape: FlowShape, score: Double) {
        host = shape.host
        remote = shape.remote
        remotePort = shape.remotePort
        self.score = score
        self.shape = shape
    }

    /// `IP:PORT` of the pool end.
    public var remoteDescription: String { shape.remoteDescription }
}

/// Scores flow summaries as they come and keeps, per flow, the best score so far.
public struct PoolShapeTracker: Sendable {
    public let model: PoolShapeModel
    /// Scores above this are pool-shaped.
    public static let poolShapedScore = 0.5
    /// The highest-scoring summary of every flow scored so far.
    public private(set) var best: [FlowShape.FlowKey: PoolShapeEvidence] = [:]

    public init(model: PoolShapeModel) {
        self.model = model
    }

    /// Scores `shape`; returns evidence when the flow scores at least `threshold` (the verdict rule's
    /// `minimumPoolShapeScore`; by default just above `poolShapedScore`) and this summary raised its best score.
    @discardableResult
    public mutating func add(_ shape: FlowShape, threshold: Double? = nil) -> PoolShapeEvidence? {
        guard let score = model.score(shape) else { return nil }
        let key = shape.flowKey
        if let previous = best[key], previous.score >= score { return nil }
        let evidence = PoolShapeEvidence(shape: shape, score: score)
        best[key] = evidence
        if let threshold { return score >= threshold ? evidence : nil }
        return score > Self.poolShapedScore ? evidence : nil
    }

    /// Forgets a flow (one that ended) unless its best summary was pool-shaped: a long-running sensor keeps only the
    /// flows that matter.
    public mutating func forgetUnlessPoolShaped(_ key: FlowShape.FlowKey) {
        if let kept = best[key], kept.score <= Self.poolShapedScore { best[key] = nil }
    }

    /// Pool-shaped flows per host, best score first.
    public var poolShaped: [HostAddress: [PoolShapeEvidence]] {
        var byHost = [HostAddress: [PoolShapeEvidence]]()
        for evidence in best.values where evidence.score > Self.poolShapedScore { byHost[evidence.host, default: []].append(evidence) }
        return byHost.mapValues { $0.sorted { $0.score > $1.score } }
    }
}
