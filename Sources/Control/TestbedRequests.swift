/// The chain sidecar's testbed: labelled regtest chains generated from the scenarios it is given, one run at a time,
/// then ingested into a chain database of the run's own and used to train a behaviour model.
extension ChainRequest {
    /// The scenarios a run may be started from, and the block limit.
    public struct TestbedScenarios: ControlRequest {
        public typealias Reply = TestbedScenarioList
        public static let command = ChainCommand.testbedScenarios
        public init() {}
    }

    /// Starts a run in the background; refused while another run is generating or training.
    public struct TestbedStart: ControlRequest {
        public typealias Reply = TestbedRunState
        public static let command = ChainCommand.testbedStart
        /// A scenario's name, as ``TestbedScenarios`` lists it.
        public var scenario: String
        /// The seed of every random choice; absent: the scenario's own, else 1.
        public var seed: UInt64?
        /// Activity blocks after the bootstrap blocks; absent: the scenario's own count.
        public var blocks: Int?
        public init(scenario: String, seed: UInt64? = nil, blocks: Int? = nil) {
            self.scenario = scenario
            self.seed = seed
            self.blocks = blocks
        }
    }

    /// Every run the sidecar knows, newest first.
    public struct TestbedRuns: ControlRequest {
        public typealias Reply = TestbedRunList
        public static let command = ChainCommand.testbedRuns
        public init() {}
    }

    /// One run: its progress, or how it ended, and its training.
    public struct TestbedRun: ControlRequest {
        public typealias Reply = TestbedRunState
        public static let command = ChainCommand.testbedRun
        public var id: String
        public init(id: String) { self.id = id }
    }

    /// A finished run's labels file (`address,class,set,actor,behaviour`).
    public struct TestbedLabels: ControlRequest {
        public typealias Reply = TestbedLabelsFile
        public static let command = ChainCommand.testbedLabels
        public var id: String
        public init(id: String) { self.id = id }
    }

    /// Ingests a finished run's blocks into the run's own chain database and trains a behaviour model on its labels,
    /// in the background; ``TestbedRunState/training`` reports it.
    public struct TestbedTrain: ControlRequest {
        public typealias Reply = TestbedRunState
        public static let command = ChainCommand.testbedTrain
        public var id: String
        public init(id: String) { self.id = id }
    }

    /// Deletes a run that is not generating or training: its folder (blocks, labels, chain database, model) and its
    /// place in the list. The reply is the run as it was.
    public struct TestbedDelete: ControlRequest {
        public typealias Reply = TestbedRunState
        public static let command = ChainCommand.testbedDelete
        public var id: String
        public init(id: String) { self.id = id }
    }
}

/// Where a run's generation, or its training, stands.
public enum TestbedTaskState: String, Codable, Hashable, Sendable, CaseIterable {
    case running, finished, failed
}

/// `testbed-scenarios`.
public struct TestbedScenarioList: Codable, Hashable, Sendable {
    public var scenarios: [TestbedScenario]
    /// The most activity blocks a run may ask for.
    public var maximumBlocks: Int
    public init(scenarios: [TestbedScenario], maximumBlocks: Int) {
        self.scenarios = scenarios
        self.maximumBlocks = maximumBlocks
    }
    enum CodingKeys: String, CodingKey { case scenarios, maximumBlocks = "maximum_blocks" }
}

/// A scenario file of the sidecar's scenario folder.
public struct TestbedScenario: Codable, Hashable, Sendable {
    /// The file's name without its extension: what a start request names.
    public var name: String
    /// The scenario's own activity block count and seed (the defaults of a start request).
    public var blocks: Int
    public var seed: UInt64?
    /// Scripted actors (each `count` alike counted) and random individuals.
    public var actors: Int
    /// The file's leading comment.
    public var description: String
    public init(name: String, blocks: Int, seed: UInt64?, actors: Int, description: String) {
        self.name = name
        self.blocks = blocks
        self.seed = seed
        self.actors = actors
        self.description = description
    }
}

/// `testbed-runs`.
public struct TestbedRunList: Codable, Hashable, Sendable {
    public var runs: [TestbedRunState]
    public init(runs: [TestbedRunState]) { self.runs = runs }
}

/// A run: what it was asked for, how far it got, and its training.
public struct TestbedRunState: Codable, Hashable, Sendable {
    public var id: String
    public var scenario: String
    public var seed: UInt64
    /// Activity blocks asked for.
    public var blocks: Int
    public var state: TestbedTaskState
    /// Why the run failed.
    public var reason: String?
    /// Height of the last block mined so far, and of the run's last block (bootstrap blocks included).
    public var height: Int
    public var finalHeight: Int?
    /// Non-coinbase transactions so far.
    public var transactions: Int
    /// Addresses handed out so far: the lines of the labels file.
    public var labelledAddresses: Int
    /// Labelled addresses per behaviour class, once finished.
    public var addressesByClass: [String: Int]?
    /// The tip's hash, once finished.
    public var tipHash: String?
    /// RFC 3339 times.
    public var started: String
    public var ended: String?
    /// The last ingest-and-train of the run, if any.
    public var training: TestbedTraining?

    public init(id: String, scenario: String, seed: UInt64, blocks: Int, started: String) {
        self.id = id
        self.scenario = scenario
        self.seed = seed
        self.blocks = blocks
        state = .running
        height = 0
        transactions = 0
        labelledAddresses = 0
        self.started = started
    }

    enum CodingKeys: String, CodingKey {
        case id, scenario, seed, blocks, state, reason, height, transactions, started, ended, training
        case finalHeight = "final_height", labelledAddresses = "labelled_addresses"
        case addressesByClass = "addresses_by_class", tipHash = "tip_hash"
    }
}

/// A run's ingest into its own chain database and a behaviour model trained on its labels.
public struct TestbedTraining: Codable, Hashable, Sendable {
    public var state: TestbedTaskState
    /// Why it failed.
    public var reason: String?
    /// The model file written (a random forest, as `coinsentry chain train` writes by default).
    public var model: String?
    /// Blocks and transactions stored in the run's chain database.
    public var blocksIngested: Int?
    public var transactionsIngested: Int?
    /// Labelled addresses found on the chain, and those never paid (not on chain, not used).
    public var labelledOnChain: Int?
    public var notOnChain: Int?
    /// Addresses the model was fitted on, and those held out to calibrate its confidences.
    public var fitted: Int?
    public var calibration: Int?
    /// The model's classes.
    public var classes: [String]?
    /// The model evaluated on the run's addresses it was not trained on.
    public var evaluation: TestbedEvaluation?

    public init(state: TestbedTaskState) { self.state = state }

    enum CodingKeys: String, CodingKey {
        case state, reason, model, fitted, calibration, classes, evaluation
        case blocksIngested = "blocks_ingested", transactionsIngested = "transactions_ingested"
        case labelledOnChain = "labelled_on_chain", notOnChain = "not_on_chain"
    }
}

/// A trained model's figures on addresses of the same run held out of training (the same chain: kinder than another
/// seed's chain would be).
public struct TestbedEvaluation: Codable, Hashable, Sendable {
    public var examples: Int
    public var accuracy: Double
    public var macroF1: Double
    public var expectedCalibrationError: Double
    /// Recall per class present among the examples.
    public var recall: [String: Double]
    public init(examples: Int, accuracy: Double, macroF1: Double, expectedCalibrationError: Double,
                recall: [String: Double]) {
        self.examples = examples
        self.accuracy = accuracy
        self.macroF1 = macroF1
        self.expectedCalibrationError = expectedCalibrationError
        self.recall = recall
    }
    enum CodingKeys: String, CodingKey {
        case examples, accuracy, recall, macroF1 = "macro_f1", expectedCalibrationError = "expected_calibration_error"
    }
}

/// `testbed-labels`: the labels file's text.
public struct TestbedLabelsFile: Codable, Hashable, Sendable {
    public var id: String
    /// CSV: the header `address,class,set,actor,behaviour`, then one line per address.
    public var text: String
    public init(id: String, text: String) {
        self.id = id
        self.text = text
    }
}

/// A testbed run's id, `run-N` (N from 1, at most 16 digits), as the chain sidecar names its runs and their folders.
public enum TestbedRunID {
    /// The id of run `number`.
    public static func make(_ number: Int) -> String { "run-\(number)" }

    /// The number in `id`, or nil for text that is not a run id (`run-0`, `run-01`, `../x`).
    public static func number(of id: String) -> Int? {
        guard id.hasPrefix("run-"), id.count <= 20, let number = Int(id.dropFirst(4)), number >= 1,
              make(number) == id else { return nil }
        return number
    }
}
