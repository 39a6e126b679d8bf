/// The `event` of a fleet state file line (`docs/fleet.md`, "The fleet state file").
public enum FleetEvent: String, Codable, CaseIterable, Hashable, Sendable {
    /// A participant wrote a global model as its model file.
    case installed
    /// A participant kept its model: the global one did worse on its held-back data.
    case refused
    /// A participant trained on its local data in a round (written by the Flower ClientApp).
    case trained
    /// The coordinator started a run (ServerApp).
    case runStarted = "run-started"
    /// The coordinator aggregated a round's updates.
    case round
    /// The coordinator finished a run.
    case runFinished = "run-finished"
}
