/// One host's vote: its last `length` window decisions and its current verdict. Causal: a verdict depends only on
/// decisions already made.
public struct HostVote: Sendable {
    /// The settings the vote follows.
    public let settings: VoteSettings
    private var decisions: [Bool]
    private var next = 0
    private var counted = 0
    private var miningCount = 0
    private var isMining = false

    public init(settings: VoteSettings) {
        self.settings = settings
        decisions = [Bool](repeating: false, count: settings.length)
    }

    /// Adds one window decision and returns the verdict after it.
    public mutating func add(_ mining: Bool) -> Verdict {
        if counted == settings.length {
            if decisions[next] { miningCount -= 1 }
        } else {
            counted += 1
        }
        decisions[next] = mining
        if mining { miningCount += 1 }
        next = next + 1 == settings.length ? 0 : next + 1
        return update()
    }

    /// The verdict now.
    public var verdict: Verdict {
        guard counted >= settings.minimumWindows else {
            return Verdict(state: .undecided, score: score, windows: counted)
        }
        return Verdict(state: isMining ? .mining : .normal, score: score, windows: counted)
    }

    private var score: Double { counted == 0 ? 0 : Double(miningCount) / Double(counted) }

    private mutating func update() -> Verdict {
        if counted >= settings.minimumWindows {
            if isMining {
                if score <= settings.clearThreshold { isMining = false }
            } else if score > settings.threshold {
                isMining = true
            }
        }
        return verdict
    }
}

/// A host's verdict after its latest window.
public struct Verdict: Hashable, Sendable {
    /// What the vote says.
    public enum State: String, Hashable, Sendable {
        /// Fewer decisions than the minimum so far.
        case undecided
        case normal
        case mining
    }

    public var state: State
    /// The share of mining decisions among those counted (0...1).
    public var score: Double
    /// How many decisions the score is computed over.
    public var windows: Int

    public init(state: State, score: Double, windows: Int) {
        self.state = state
        self.score = score
        self.windows = windows
    }

    /// True when the verdict is *mining*.
    public var isMining: Bool { state == .mining }
}
