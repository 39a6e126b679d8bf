/// A `run-started` or `run-finished` line of the coordinator's state file.
public struct FleetRunRecord: Codable, Hashable, Sendable {
    public var time: String
    public var event: FleetEvent
    public var federation: FleetFederation
    /// The aggregation rule (`MultiKrum`, `FedAvg`, ...).
    public var strategy: String
    /// Rounds the run was configured for.
    public var rounds: Int
    public var runId: FleetRunID
    /// Participants per round (n) and poisoned participants to survive (f); on `run-started` only.
    public var minNodes: Int?
    public var numMalicious: Int?

    enum CodingKeys: String, CodingKey {
        case time, event, federation, strategy, rounds, runId = "run_id", minNodes = "min_nodes"
        case numMalicious = "num_malicious"
    }
}
