import Capture
import Detection
import Traces

/// What the sensor knows about one local host: its verdict and what stands behind it.
public struct HostStatus: Sendable {
    public var host: HostAddress
    /// The vote's verdict after the host's latest window.
    public var verdict: Verdict
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

    public init(host: HostAddress, seen: Int64) {
        self.host = host
        verdict = Verdict(state: .undecided, score: 0, windows: 0)
        recentDecisions = []
        lastSeen = seen
        totals = .zero
        busiestRemotes = EndpointList()
    }
}

/// A host whose verdict changed state (undecided → normal does not count as news; anything to or from *mining* does).
public struct VerdictChange: Sendable {
    public var host: HostAddress
    public var previous: Verdict.State
    public var verdict: Verdict
    /// The interval whose window decided it.
    public var interval: Int64
    public var busiestRemotes: EndpointList
}
