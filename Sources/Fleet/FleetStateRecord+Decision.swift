import FleetFiles
import Foundation

extension FleetStateRecord {
    /// The state line of an acceptance decision: `installed` when it accepted, else `refused` (the time defaults to
    /// now).
    public init(federation: FleetFederation, round: Int?, modelId: String, previousModelId: String, metric: String,
                decision: AcceptanceCheck.Decision, margin: Double, holdoutExamples: Int, modelPath: String,
                time: Date = Date()) {
        self.init(event: decision.accepted ? .installed : .refused, federation: federation, round: round,
                  modelId: modelId, previousModelId: previousModelId, metric: metric,
                  currentScore: decision.currentScore, candidateScore: decision.candidateScore, margin: margin,
                  holdoutExamples: holdoutExamples, reason: decision.reason, modelPath: modelPath, time: time)
    }
}
