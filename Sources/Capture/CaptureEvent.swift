import Traces

/// One local host's traffic in one closed interval.
public struct HostInterval: Hashable, Sendable {
    public var host: HostAddress
    /// Interval index: the interval starts `index × width` after 1970-01-01 UTC.
    public var index: Int64
    public var counters: IntervalCounters
    /// The host's busiest remote endpoints so far, busiest first; empty when the list did not change since the
    /// host's last report (it is repeated at least every minute of intervals, with fresh byte counts).
    public var busiestRemotes: EndpointList

    public init(host: HostAddress, index: Int64, counters: IntervalCounters, busiestRemotes: EndpointList = EndpointList()) {
        self.host = host
        self.index = index
        self.counters = counters
        self.busiestRemotes = busiestRemotes
    }
}

/// What the capture thread reports, in order.
public enum CaptureEvent: Hashable, Sendable {
    /// A host had traffic in interval `index`. All of an interval's host events come before its `intervalClosed`.
    case host(HostInterval)
    /// Interval `index` is complete; hosts without a `host` event for it had no traffic in it.
    case intervalClosed(index: Int64)
    /// Time jumped (capture files merged from several days, a clock step): series before and after do not join.
    case discontinuity(from: Int64, to: Int64)
}
