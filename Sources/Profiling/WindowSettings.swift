/// How the window engine cuts a host's intervals into windows; recorded in every model file.
///
/// Lengths are given in seconds and must be whole multiples of the interval. Every window of one emission ends at
/// the same interval; the feature vector is the concatenation of each window's features, shortest window first.
public struct WindowSettings: Hashable, Codable, Sendable {
    /// Seconds per interval (the sensor's counting bucket).
    public var intervalSeconds: Double
    /// Window lengths in seconds, strictly ascending (the design's default uses 120 s; 120 s and 360 s together is
    /// the other choice the evaluation weighs).
    public var windowSeconds: [Double]
    /// Seconds between two emissions of a host's windows.
    public var slideSeconds: Double
    /// How each counter is transformed before the features are computed.
    public var counterScale: CounterScale

    public init(
        intervalSeconds: Double = 1, windowSeconds: [Double] = [120], slideSeconds: Double = 20,
        counterScale: CounterScale = .linear
    ) {
        self.intervalSeconds = intervalSeconds
        self.windowSeconds = windowSeconds
        self.slideSeconds = slideSeconds
        self.counterScale = counterScale
    }

    /// Window lengths in intervals, ascending.
    public var windowIntervals: [Int] { windowSeconds.map { Int(($0 / intervalSeconds).rounded()) } }
    /// The slide in intervals.
    public var slideIntervals: Int { Int((slideSeconds / intervalSeconds).rounded()) }
    /// The most intervals a window (the history each host keeps) or the slide may span.
    public static let maximumIntervals = 1 << 16

    /// The longest window in intervals: the history each host needs.
    public var historyIntervals: Int { windowIntervals.last ?? 0 }

    /// Checks that the settings describe windows the engine can build.
    ///
    /// - Throws: `WindowSettingsError` naming the first setting that is not honoured.
    public func validate() throws(WindowSettingsError) {
        guard intervalSeconds.isFinite, intervalSeconds > 0 else {
            throw WindowSettingsError("the interval must be a positive number of seconds, not \(intervalSeconds)")
        }
        guard !windowSeconds.isEmpty else { throw WindowSettingsError("at least one window length is needed") }
        for (length, previous) in zip(windowSeconds.dropFirst(), windowSeconds) where length <= previous {
            throw WindowSettingsError("window lengths must be strictly ascending: \(windowSeconds)")
        }
        for value in windowSeconds + [slideSeconds] {
            let ratio = value / intervalSeconds
            guard value.isFinite, ratio >= 1, abs(ratio - ratio.rounded()) < 1e-9 else {
                throw WindowSettingsError(
                    "\(value) s is not a whole multiple (at least one) of the \(intervalSeconds) s interval")
            }
            // Checked before any count of intervals is converted to an integer, which traps beyond Int.max.
            guard ratio <= Double(Self.maximumIntervals) else {
                throw WindowSettingsError("\(value) s spans \(ratio) intervals of \(intervalSeconds) s; windows and the "
                                          + "slide span at most \(Self.maximumIntervals)")
            }
        }
        guard windowIntervals[0] >= 4 else {
            throw WindowSettingsError("the shortest window must span at least 4 intervals")
        }
    }
}

/// The transform applied to every counter before features are computed.
public enum CounterScale: String, Hashable, Codable, Sendable, CaseIterable {
    /// The counts as they are.
    case linear
    /// `log(1 + count)` (natural logarithm): tames the range between a miner's few packets and a video burst.
    case log1p
}

/// Window settings that cannot be honoured.
public struct WindowSettingsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, naming the setting.
    public var description: String

    public init(_ description: String) { self.description = description }
}
