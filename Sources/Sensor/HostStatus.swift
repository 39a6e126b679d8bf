import Capture
import Detection
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
    /// The interval the host last had traffic in.
    public var lastSeen: Int64
    /// Traffic since the sensor first saw the host.
    public var totals: IntervalCounters
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
        lastSeen = seen
        totals = .zero
        busiestRemotes = EndpointList()
    }

    /// Whether the host's verdict from all evidence is *mining*.
    public var isMining: Bool { fused.isMining }
}

/// A host whose verdict from all evidence turned *mining* or stopped being *mining* (undecided → normal is no news).
public struct VerdictChange: Sendable {
    public var host: HostAddress
    public var previous: Verdict.State
    /// The statistical vote after the change.
    public var verdict: Verdict
    /// The verdict from all evidence after the change: `fused.isMining` is the news.
    public var fused: FusedVerdict
    /// The interval whose window decided it.
    public var interval: Int64
    public var busiestRemotes: EndpointList
}
