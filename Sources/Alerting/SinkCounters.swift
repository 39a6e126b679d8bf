import Synchronization

/// Delivery counters of one sink, shared by the sink and the dispatcher and read by the daemon's `stats` command.
///
/// Relaxed ordering throughout: each counter is an independent tally that no other memory access depends on.
public final class SinkCounters: Sendable {
    private let deliveredCount = Atomic<UInt64>(0)
    private let droppedCount = Atomic<UInt64>(0)

    /// Creates counters at zero.
    public init() {}

    /// Records that reached their destination (written, sent, handed to journald).
    public var delivered: UInt64 { deliveredCount.load(ordering: .relaxed) }
    /// Records given up on: a full queue, a failed write, a shutdown with records still queued.
    public var dropped: UInt64 { droppedCount.load(ordering: .relaxed) }

    /// Counts one delivered record.
    public func countDelivered() { deliveredCount.add(1, ordering: .relaxed) }
    /// Counts `count` dropped records.
    public func countDropped(_ count: UInt64 = 1) { droppedCount.add(count, ordering: .relaxed) }
}
