import Capture

/// One alert per episode: a host's episode opens with its first *suspect* or *mining* verdict and ends only after
/// `holdSeconds` without any rule holding, so a verdict that flaps raises one alert, not one per flap. Inside an
/// episode a rise from *suspect* to *mining* is news (one more alert); a fall back is not.
///
/// Time is whatever clock the caller runs on (the wall clock in `coinsentryd`, packet time in `coinsentry evaluate`),
/// in seconds.
public struct EpisodeTracker: Sendable {
    /// A host's open episode.
    public struct Episode: Hashable, Sendable {
        /// The highest level raised in the episode.
        public var level: VerdictFusion.Level
        /// When its alert was last raised or reminded.
        public var raisedAt: Double
        /// Since when no rule holds (nil while one does), and why the verdict cleared.
        public var quietSince: Double?
        public var clearReason: ClearReason?

        public init(level: VerdictFusion.Level, raisedAt: Double) {
            self.level = level
            self.raisedAt = raisedAt
        }
    }

    /// What an episode's alert says.
    public enum Event: Hashable, Sendable {
        /// A new episode at this level.
        case opened(VerdictFusion.Level)
        /// The episode's level rose to *mining*.
        case rose(VerdictFusion.Level)
        /// The episode ended after the hold period; its level and why the verdict had cleared.
        case ended(VerdictFusion.Level, ClearReason?)
        /// The episode still holds after the reminder period.
        case reminder(VerdictFusion.Level)
    }

    /// Seconds without a rule holding before an episode ends (0: at once).
    public var holdSeconds: Double
    /// Seconds between reminders of an episode that still holds (0: none).
    public var reminderSeconds: Double
    public private(set) var episodes: [HostAddress: Episode] = [:]

    public init(holdSeconds: Double = 1800, reminderSeconds: Double = 0, open: [HostAddress: Episode] = [:]) {
        self.holdSeconds = holdSeconds
        self.reminderSeconds = reminderSeconds
        episodes = open
    }

    /// Takes a change of a host's verdict level at `time`; returns the alert it raises, if any. A clearing raises
    /// nothing now: the episode ends in `due(at:)` once the hold period has passed (at once when it is 0).
    public mutating func verdictChanged(_ host: HostAddress, to level: VerdictFusion.Level?, because: ClearReason?,
                                        at time: Double) -> Event? {
        guard let level else {
            guard var episode = episodes[host], episode.quietSince == nil else { return nil }
            episode.quietSince = time
            episode.clearReason = because
            episodes[host] = episode
            return nil
        }
        guard var episode = episodes[host] else {
            episodes[host] = Episode(level: level, raisedAt: time)
            return .opened(level)
        }
        episode.quietSince = nil
        episode.clearReason = nil
        defer { episodes[host] = episode }
        guard level > episode.level else { return nil }
        episode.level = level
        episode.raisedAt = time
        return .rose(level)
    }

    /// The episodes that end at `time` (hold passed without a rule holding) and the reminders due; `holding` gives a
    /// host's level now (nil when no rule holds).
    public mutating func due(at time: Double, holding: (HostAddress) -> VerdictFusion.Level?)
        -> [(host: HostAddress, event: Event)] {
        var events = [(host: HostAddress, event: Event)]()
        for (host, episode) in episodes {
            if let quiet = episode.quietSince {
                guard time - quiet >= holdSeconds else { continue }
                episodes[host] = nil
                events.append((host, .ended(episode.level, episode.clearReason)))
                continue
            }
            guard reminderSeconds > 0, time - episode.raisedAt >= reminderSeconds, let level = holding(host) else {
                continue
            }
            episodes[host]?.raisedAt = time
            events.append((host, .reminder(level)))
        }
        return events.sorted { $0.host < $1.host }
    }

    /// Ends a host's episode now (an operator closed it); returns it.
    public mutating func close(_ host: HostAddress) -> Episode? {
        episodes.removeValue(forKey: host)
    }
}
