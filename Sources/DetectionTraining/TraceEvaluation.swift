import Detection
/// The outcome of one trace run through a model and the vote, as the sensor would decide it.
public struct TraceEvaluation: Sendable {
    /// One count per window decision.
    public var windows = EvaluationCounts()
    /// One count per window, of the host's verdict after it (undecided counts as not flagged).
    public var voted = EvaluationCounts()
    /// Seconds from the trace's start to the end of the window at which the verdict first turned *mining*.
    public var latencySeconds: Double?

    public init() {}

    /// Evaluates a trace's windows of known class.
    ///
    /// - Parameters:
    ///   - windows: the trace's windows, in order, as the engine emitted them.
    ///   - model: the model deciding each window.
    ///   - isMining: the trace's class.
    public static func evaluate(_ windows: TraceWindows, model: DetectionModel, isMining: Bool) -> TraceEvaluation {
        let decisions = windows.features.map { model.decision($0) > 0 }
        return evaluate(
            decisions: decisions, endIntervals: windows.endIntervals, vote: model.file.vote,
            intervalSeconds: model.file.windows.intervalSeconds, isMining: isMining)
    }

    /// Evaluates window decisions through the causal vote.
    public static func evaluate(
        decisions: [Bool], endIntervals: [Int64], vote: VoteSettings, intervalSeconds: Double, isMining: Bool
    ) -> TraceEvaluation {
        var result = TraceEvaluation()
        var hostVote = HostVote(settings: vote)
        for (decision, end) in zip(decisions, endIntervals) {
            result.windows.add(predictedMining: decision, actualMining: isMining)
            let verdict = hostVote.add(decision)
            result.voted.add(predictedMining: verdict.isMining, actualMining: isMining)
            if verdict.isMining, result.latencySeconds == nil {
                result.latencySeconds = Double(end + 1) * intervalSeconds
            }
        }
        return result
    }
}
