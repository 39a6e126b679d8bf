import Capture
import Detection
import Profiling
import Traces

/// What the sensor knows about one local host: its verdict and what stands behind it.
public struct HostStatus: Sendable {
    public var host: HostAddress
    /// The statistical vote's verdict after the host's latest window.
    public var verdict: Verdict
    /// The verdict from all evidence (`VerdictFusion`): what alerts and blocks follow.
    public var fused: FusedVerdict = .undecided
    /// The evidence the host holds (stratum sessions, pool-shaped flows, pool names), oldest first.
    public var evidence: [HeldEvidence] = []
    /// The most recent window decision values (positive = mining), oldest first, at most `SensorPipeline.recentLimit`.
    public var recentDecisions: [Double]
    /// The interval of the host's latest window decision.
    public var lastWindowEnd: Int64?
    /// The feature vector of the host's latest window, in the model's feature order.
    public var lastFeatures: [Double] = []
    /// The feature vectors of the windows the vote counts now: a new model with the same window settings and features
    /// re-scores them instead of starting blind.
    public var votedFeatures = FeatureHistory()
    /// The interval the host last had traffic in.
    public var lastSeen: Int64
    /// Traffic since the sensor first saw the host.
    public var totals: IntervalCounters
    /// The host's recent traffic, by minute.
    public var series = TrafficSeries()
    /// The host's busiest remote endpoints, as the capture thread last reported them.
    public var busiestRemotes: EndpointList
    /// The host's traffic class from the class vote, when the model has a class block (beside the verdict, never
    /// part of it); `nil` before the vote's minimum of windows.
    public var trafficClass: HostClass?
    /// The class vote behind `trafficClass`.
    public var classVote: ClassVote?

    public init(host: HostAddress, seen: Int64) {
        self.host = host
        verdict = Verdict(state: .undecided, score: 0, windows: 0)
        recentDecisions = []
        recentDecisions.reserveCapacity(SensorPipeline.recentLimit + 1)
        lastSeen = seen
        totals = .zero
        busiestRemotes = EndpointList()
    }

    /// Counts an interval of the host's traffic; `bucketIntervals` is the intervals in a minute.
    mutating func count(_ interval: HostInterval, bucketIntervals: Int64) {
        lastSeen = interval.index
        totals += interval.counters
        series.add(interval: interval.index, counters: interval.counters, bucketIntervals: bucketIntervals)
        if !interval.busiestRemotes.isEmpty { busiestRemotes = interval.busiestRemotes }
    }

    /// Takes a window's decision: `verdict` is the vote after it, `voteLength` the windows the vote counts.
    mutating func decided(_ window: HostWindow<HostAddress>, value: Double, verdict: Verdict, voteLength: Int) {
        lastWindowEnd = window.endInterval
        lastFeatures = window.features
        votedFeatures.append(window.features, keeping: voteLength)
        voted(value, verdict: verdict)
    }

    /// Takes a decision the vote counted (`verdict`: the vote after it), keeping the latest
    /// `SensorPipeline.recentLimit` decisions.
    mutating func voted(_ value: Double, verdict: Verdict) {
        self.verdict = verdict
        recentDecisions.append(value)
        if recentDecisions.count > SensorPipeline.recentLimit { recentDecisions.removeFirst() }
    }

    /// Counts a window's class into the host's class vote (started on the first).
    mutating func classified(_ classIndex: Int, settings: ClassVoteSettings, classCount: Int) {
        if classVote == nil { classVote = ClassVote(settings: settings, classCount: classCount) }
        trafficClass = classVote?.add(classIndex)
    }

    /// Drops evidence older than `hold` intervals at `interval`, decides the verdict from the vote and the evidence
    /// left, and returns the change of level, if any.
    mutating func redecide(by fusion: VerdictFusion, interval: Int64, hold: Int64) -> VerdictChange? {
        let heldBefore = evidence.count
        evidence.removeAll { interval - $0.lastInterval > hold }
        let expired = evidence.count < heldBefore
        let previous = fused
        fused = fusion.decide(vote: verdict, evidence: evidence.map(\.evidence), previous: previous)
        guard previous.level != fused.level else { return nil }
        let reason: ClearReason? = fused.level == nil ? (expired ? .evidenceExpired : .voteFell) : nil
        return VerdictChange(host: host, previous: previous.level, verdict: verdict, fused: fused, interval: interval,
                             busiestRemotes: busiestRemotes, clearedBecause: reason)
    }

    /// Whether the host's verdict from all evidence is *mining*.
    public var isMining: Bool { fused.isMining }
    /// The level of the host's verdict from all evidence (*mining*, *suspect*), nil when no rule holds.
    public var level: VerdictFusion.Level? { fused.level }
}

/// A host whose verdict from all evidence changed level: it turned *suspect* or *mining*, rose from one to the other,
/// or no rule holds any longer (undecided → normal is no news).
public struct VerdictChange: Sendable {
    public var host: HostAddress
    /// The level before the change (nil: no rule held).
    public var previous: VerdictFusion.Level?
    /// The statistical vote after the change.
    public var verdict: Verdict
    /// The verdict from all evidence after the change: `fused.level` is the news.
    public var fused: FusedVerdict
    /// The interval whose window decided it.
    public var interval: Int64
    public var busiestRemotes: EndpointList
    /// Why the verdict cleared, when it did.
    public var clearedBecause: ClearReason?
}

/// Why a host's verdict cleared.
public enum ClearReason: String, Hashable, Sendable, CaseIterable {
    /// The host fell silent for longer than the longest window: nothing is left to decide on.
    case hostQuiet = "host-quiet"
    /// The evidence behind the verdict expired (no new report within `verdict.evidence_hold_seconds`).
    case evidenceExpired = "evidence-expired"
    /// The statistical vote's mining share fell below the rule's clearing threshold.
    case voteFell = "vote-fell"
}
