/// What fleet learning has done, per federation, as the fleet state files tell it (`coinsentryctl fleet status`):
/// the latest run, its rounds, the participant's training and the last model it installed or refused.
public struct FleetStatus: Codable, Hashable, Sendable {
    /// The files read.
    public var files: [String]
    /// One entry per federation that has any line, in `FleetFederation` order.
    public var federations: [Federation]
    /// Lines skipped and files not read, each with why.
    public var problems: [FileProblem]

    public init(files: [String], federations: [Federation], problems: [FileProblem]) {
        self.files = files
        self.federations = federations
        self.problems = problems
    }

    /// One federation's state.
    public struct Federation: Codable, Hashable, Sendable {
        public var federation: FleetFederation
        /// The latest `run-started` (coordinator's file), and when it finished.
        public var run: Run?
        /// Rounds the coordinator aggregated in the latest run (all `round` lines when no run started is recorded).
        public var roundsCompleted: Int
        /// The latest of those rounds: participants and examples.
        public var latestRound: FleetRoundRecord?
        /// The participant's latest training (participant's file).
        public var trained: Trained?
        /// The last model installed or refused, with scores, margin and reason.
        public var lastDecision: FleetStateRecord?
        /// Models installed and refused, in all the lines read.
        public var installed: Int
        public var refused: Int

        enum CodingKeys: String, CodingKey {
            case federation, run, roundsCompleted = "rounds_completed", latestRound = "latest_round", trained
            case lastDecision = "last_decision", installed, refused
        }
    }

    /// A coordinator's run.
    public struct Run: Codable, Hashable, Sendable {
        public var runId: FleetRunID
        public var strategy: String
        /// Rounds configured.
        public var rounds: Int
        public var minNodes: Int?
        public var numMalicious: Int?
        public var started: String
        /// The time of its `run-finished`; absent while it runs (or if it stopped without one).
        public var finished: String?

        enum CodingKeys: String, CodingKey {
            case runId = "run_id", strategy, rounds, minNodes = "min_nodes", numMalicious = "num_malicious", started
            case finished
        }
    }

    /// A participant's training in its latest run.
    public struct Trained: Codable, Hashable, Sendable {
        public var latest: FleetTrainedRecord
        /// Rounds it trained in that run.
        public var rounds: Int
    }
}
