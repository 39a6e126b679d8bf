/// How a host's window decisions become a verdict; recorded in the model file.
public struct VoteSettings: Hashable, Codable, Sendable {
    /// How many of the host's most recent decisions are counted (the design's 50).
    public var length: Int
    /// The verdict turns *mining* when the mining share of the counted decisions is above this (the design's 0.55).
    public var threshold: Double
    /// Decisions needed before any verdict.
    public var minimumWindows: Int
    /// Hysteresis: a *mining* verdict clears only when the mining share falls to this or below.
    public var clearThreshold: Double

    public init(length: Int = 50, threshold: Double = 0.55, minimumWindows: Int = 10, clearThreshold: Double = 0.45) {
        self.length = length
        self.threshold = threshold
        self.minimumWindows = minimumWindows
        self.clearThreshold = clearThreshold
    }

    /// Checks the settings are coherent.
    ///
    /// - Throws: `ModelError.settingsMismatch` naming the setting.
    public func validate() throws(ModelError) {
        guard length >= 1, length <= 4096 else { throw .settingsMismatch("vote length \(length) is not in 1...4096") }
        guard minimumWindows >= 1, minimumWindows <= length else {
            throw .settingsMismatch("minimum windows \(minimumWindows) is not in 1...\(length) (the vote length)")
        }
        guard threshold >= 0, threshold < 1, clearThreshold >= 0, clearThreshold <= threshold else {
            throw .settingsMismatch(
                "vote thresholds must satisfy 0 ≤ clear (\(clearThreshold)) ≤ threshold (\(threshold)) < 1")
        }
    }
}
