import Foundation

/// One line of a fleet state file (JSON lines, `docs/fleet.md`): what a participant did with a global model, or
/// what the coordinator did in a round.
public struct FleetStateRecord: Codable, Hashable, Sendable {
    /// What happened.
    public enum Event: String, Codable, Hashable, Sendable {
        /// A participant wrote a global model as its model file.
        case installed
        /// A participant kept its model: the global one did worse on its held-back data.
        case refused
    }

    /// ISO 8601 time of the event.
    public var time: String
    /// Installed or refused.
    public var event: Event
    /// `traffic` (the sensor's mining model) or `address` (the sidecar's behaviour model).
    public var federation: String
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
    public init(event: Event, federation: String, round: Int?, modelId: String, previousModelId: String,
                metric: String, decision: AcceptanceCheck.Decision, margin: Double, holdoutExamples: Int,
                modelPath: String, time: Date = Date()) {
        self.time = ISO8601DateFormatter().string(from: time)
        self.event = event
        self.federation = federation
        self.round = round
        self.modelId = modelId
        self.previousModelId = previousModelId
        self.metric = metric
        currentScore = decision.currentScore
        candidateScore = decision.candidateScore
        self.margin = margin
        self.holdoutExamples = holdoutExamples
        reason = decision.reason
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
