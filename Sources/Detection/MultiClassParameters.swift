/// The class block of a model file: one-vs-rest linear SVCs over the binary model's scaler and PCA, saying which
/// traffic class (a source of the training data: `browsing`, `mining_2t_nicehash`, ...) a window looks like.
///
/// A window's class is the one whose SVC gives the largest decision value `w_k·z + b_k` (`z` the PCA components);
/// a host's class is the majority of its last `vote.length` window classes (`ClassVote`).
public struct MultiClassParameters: Codable, Sendable {
    /// One traffic class and its one-vs-rest SVC.
    public struct TrafficClass: Codable, Sendable {
        /// The class name, as the manifest gives it.
        public var name: String
        /// Whether the class is mining (every training trace of the class has this label).
        public var isMining: Bool
        /// Weights over the PCA components.
        public var weights: [Double]
        public var bias: Double
        /// Weights of this class's windows and of the rest in its one-vs-rest problem (balanced:
        /// `n / (2 · n_class)` and `n / (2 · n_rest)`).
        public var classWeight: Double
        public var restWeight: Double
        /// Windows of the class that trained.
        public var trainingWindows: Int
        /// Passes the solver took, and whether it met its tolerance.
        public var iterations: Int
        public var converged: Bool

        public init(
            name: String, isMining: Bool, weights: [Double], bias: Double, classWeight: Double, restWeight: Double,
            trainingWindows: Int, iterations: Int, converged: Bool
        ) {
            self.name = name
            self.isMining = isMining
            self.weights = weights
            self.bias = bias
            self.classWeight = classWeight
            self.restWeight = restWeight
            self.trainingWindows = trainingWindows
            self.iterations = iterations
            self.converged = converged
        }
    }

    /// The classes, in the order of their index in decisions and votes.
    public var classes: [TrafficClass]
    /// The solver, for the record (`liblinear-dual-cd/l2r-l2loss, one-vs-rest`).
    public var solver: String
    /// The penalty C of every one-vs-rest SVC.
    public var penalty: Double
    /// How window classes become a host's class.
    public var vote: ClassVoteSettings
    /// The traces that trained, with their class.
    public var traces: [ClassTrace]
    /// Held-out evaluation of the same procedure; absent when none was run.
    public var metrics: MultiClassMetrics?

    /// A trace that trained the class block.
    public struct ClassTrace: Codable, Sendable {
        public var name: String
        public var trafficClass: String
        public var windows: Int

        public init(name: String, trafficClass: String, windows: Int) {
            self.name = name
            self.trafficClass = trafficClass
            self.windows = windows
        }
    }

    public init(
        classes: [TrafficClass], solver: String, penalty: Double, vote: ClassVoteSettings, traces: [ClassTrace],
        metrics: MultiClassMetrics? = nil
    ) {
        self.classes = classes
        self.solver = solver
        self.penalty = penalty
        self.vote = vote
        self.traces = traces
        self.metrics = metrics
    }
}

/// How a host's window classes become its class; recorded in the class block.
public struct ClassVoteSettings: Hashable, Codable, Sendable {
    /// How many of the host's most recent window classes are counted.
    public var length: Int
    /// Window classes needed before the host has a class.
    public var minimumWindows: Int

    public init(length: Int = 50, minimumWindows: Int = 10) {
        self.length = length
        self.minimumWindows = minimumWindows
    }

    /// Checks the settings are coherent.
    ///
    /// - Throws: `ModelError.settingsMismatch` naming the setting.
    public func validate() throws(ModelError) {
        guard length >= 1, length <= 4096 else {
            throw .settingsMismatch("class vote length \(length) is not in 1...4096")
        }
        guard minimumWindows >= 1, minimumWindows <= length else {
            throw .settingsMismatch("class vote minimum windows \(minimumWindows) is not in 1...\(length)")
        }
    }
}

/// Held-out figures of the multi-class procedure, stored in the class block.
public struct MultiClassMetrics: Codable, Sendable {
    /// How the data was split, in words.
    public var protocolDescription: String
    /// Per-window class decisions.
    public var windows: ClassConfusion
    /// The host's class after each window (undecided before the vote's minimum).
    public var voted: ClassConfusion

    public init(protocolDescription: String, windows: ClassConfusion, voted: ClassConfusion) {
        self.protocolDescription = protocolDescription
        self.windows = windows
        self.voted = voted
    }
}
