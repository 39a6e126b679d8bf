/// A `trained` line of a participant's state file: its local training in one round.
public struct FleetTrainedRecord: Codable, Hashable, Sendable {
    public var time: String
    public var federation: FleetFederation
    public var round: Int
    public var examples: Int
    public var runId: FleetRunID

    enum CodingKeys: String, CodingKey { case time, federation, round, examples, runId = "run_id" }
}
