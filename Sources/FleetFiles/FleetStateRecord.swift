import Foundation

/// An `installed` or `refused` line of a fleet state file (JSON lines, `docs/fleet.md`): what a participant did with
/// a global model, and why.
public struct FleetStateRecord: Codable, Hashable, Sendable {
    /// ISO 8601 time of the event.
    public var time: String
    /// `installed` or `refused`.
    public var event: FleetEvent
    public var federation: FleetFederation
    /// The federated round the global model came from, when known.
    public var round: Int?
    /// The id of the global model (traffic) or a content hash of its arrays (address).
    public var modelId: String
    /// The id of the model in use before.
    public var previousModelId: String
    /// The score used (`balanced_accuracy`), the model in use's and the candidate's.
    public var metric: String
    public var currentScore: Double
    public var candidateScore: Double
    /// The tolerated drop.
    public var margin: Double
    /// Held-back examples the scores were measured on.
    public var holdoutExamples: Int
    /// Why it was installed or refused, in words.
    public var reason: String
    /// The model file written (installed) or left as it was (refused).
    public var modelPath: String

    private enum CodingKeys: String, CodingKey {
        case time, event, federation, round, reason, margin, metric
        case modelId = "model_id", previousModelId = "previous_model_id", currentScore = "current_score"
        case candidateScore = "candidate_score", holdoutExamples = "holdout_examples", modelPath = "model_path"
    }

    /// A record of an acceptance decision (the time defaults to now).
    public init(event: FleetEvent, federation: FleetFederation, round: Int?, modelId: String, previousModelId: String,
                metric: String, currentScore: Double, candidateScore: Double, margin: Double, holdoutExamples: Int,
                reason: String, modelPath: String, time: Date = Date()) {
        self.time = ISO8601DateFormatter().string(from: time)
        self.event = event
        self.federation = federation
        self.round = round
        self.modelId = modelId
        self.previousModelId = previousModelId
        self.metric = metric
        self.currentScore = currentScore
        self.candidateScore = candidateScore
        self.margin = margin
        self.holdoutExamples = holdoutExamples
        self.reason = reason
        self.modelPath = modelPath
    }

    /// The record as one JSON line (sorted keys, no newline).
    public func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of strings and finite numbers cannot fail.
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
