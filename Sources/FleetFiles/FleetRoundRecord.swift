/// A `round` line of the coordinator's state file: one round's aggregation.
public struct FleetRoundRecord: Codable, Hashable, Sendable {
    public var time: String
    public var federation: FleetFederation
    public var round: Int
    public var strategy: String
    /// Updates aggregated.
    public var participants: Int
    /// Examples behind them (the sum of the participants' `num-examples`).
    public var examples: Int
}
