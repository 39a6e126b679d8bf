/// One host's class vote: the majority class of its last `length` window classes. Causal: it depends only on
/// window classes already decided.
///
/// On a tie, the tied class decided most recently wins. No class is given before `minimumWindows` windows.
public struct ClassVote: Sendable {
    /// The settings the vote follows.
    public let settings: ClassVoteSettings
    private var recent: [Int]
    private var next = 0
    private var counted = 0
    private var counts: [Int]
    /// The sequence number of each class's latest window (for ties).
    private var latest: [Int]
    private var sequence = 0

    /// - Parameter classCount: how many classes window decisions come from (indices `0..<classCount`).
    public init(settings: ClassVoteSettings, classCount: Int) {
        self.settings = settings
        recent = [Int](repeating: 0, count: settings.length)
        counts = [Int](repeating: 0, count: classCount)
        latest = [Int](repeating: -1, count: classCount)
    }

    /// Adds one window's class and returns the host's class after it.
    public mutating func add(_ classIndex: Int) -> HostClass? {
        if counted == settings.length {
            counts[recent[next]] -= 1
        } else {
            counted += 1
        }
        recent[next] = classIndex
        counts[classIndex] += 1
        latest[classIndex] = sequence
        sequence += 1
        next = next + 1 == settings.length ? 0 : next + 1
        return hostClass
    }

    /// The host's class now, or `nil` before `minimumWindows` windows.
    public var hostClass: HostClass? {
        guard counted >= settings.minimumWindows else { return nil }
        var best = 0
        for index in counts.indices
        where (counts[index], latest[index]) > (counts[best], latest[best]) {
            best = index
        }
        return HostClass(index: best, share: Double(counts[best]) / Double(counted), windows: counted)
    }
}

/// A host's class from its class vote.
public struct HostClass: Hashable, Sendable {
    /// The class's index in the model's class block.
    public var index: Int
    /// The class's share of the counted windows (0...1).
    public var share: Double
    /// How many windows the vote counted.
    public var windows: Int

    public init(index: Int, share: Double, windows: Int) {
        self.index = index
        self.share = share
        self.windows = windows
    }
}
