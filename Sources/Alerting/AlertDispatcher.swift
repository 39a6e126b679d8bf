import Synchronization

/// Fans each alert record out to every configured sink, each sink fed from its own bounded queue by its own task, so
/// a slow or failing sink never delays the others.
///
/// ``publish(_:)`` never waits: when a sink's queue is full the record is dropped for that sink and counted in its
/// ``SinkCounters``; a record a sink fails to take (`deliver` throws) is counted the same way and its error kept for
/// ``statistics``.
public final class AlertDispatcher: Sendable {
    /// Delivery figures of one sink.
    public struct SinkStatistics: Sendable {
        /// The sink's name.
        public var name: String
        /// Records the sink delivered.
        public var delivered: UInt64
        /// Records dropped for this sink: its queue was full, it failed, or it was shut down with records waiting.
        public var dropped: UInt64
        /// Records waiting in the dispatcher's queue for this sink.
        public var queued: Int
        /// The sink's last failure, if any.
        public var lastError: AlertingError?
    }

    private final class Lane: Sendable {
        let sink: any AlertSink
        let continuation: AsyncStream<AlertRecord>.Continuation
        let stream: AsyncStream<AlertRecord>
        let queued = Atomic<Int>(0)
        let lastError = Mutex<AlertingError?>(nil)
        /// Whether records of *suspect* episodes go to this sink.
        let takesSuspects: Bool

        init(sink: any AlertSink, capacity: Int, takesSuspects: Bool) {
            self.sink = sink
            self.takesSuspects = takesSuspects
            (stream, continuation) = AsyncStream.makeStream(of: AlertRecord.self,
                                                            bufferingPolicy: .bufferingOldest(capacity))
        }
    }

    private let lanes: [Lane]
    private let tasks: [Task<Void, Never>]

    /// Starts one delivery task per sink.
    /// - Parameters:
    ///   - sinks: the destinations, each receiving every record.
    ///   - capacity: how many records may wait for each sink (at least 1).
    /// - Parameter suspectsTo: which sinks take records of *suspect* episodes (all by default; the daemon's
    ///   configuration `alerts.suspect_outputs` names them).
    public init(sinks: [any AlertSink], capacity: Int = 1024,
                suspectsTo: (any AlertSink) -> Bool = { _ in true }) {
        let lanes = sinks.map { Lane(sink: $0, capacity: max(1, capacity), takesSuspects: suspectsTo($0)) }
        self.lanes = lanes
        self.tasks = lanes.map { lane in
            Task {
                for await record in lane.stream {
                    lane.queued.subtract(1, ordering: .relaxed)
                    do throws(AlertingError) {
                        try await lane.sink.deliver(record)
                    } catch {
                        lane.sink.counters.countDropped()
                        lane.lastError.withLock { $0 = error }
                    }
                }
            }
        }
    }

    /// The sinks, in configuration order.
    public var sinks: [any AlertSink] { lanes.map(\.sink) }

    /// Queues a record for every sink without waiting; a sink whose queue is full drops it and counts the drop.
    public func publish(_ record: AlertRecord) {
        for lane in lanes where record.level != .suspect || lane.takesSuspects {
            lane.queued.add(1, ordering: .relaxed)
            switch lane.continuation.yield(record) {
            case .enqueued:
                break
            case .dropped, .terminated:
                lane.queued.subtract(1, ordering: .relaxed)
                lane.sink.counters.countDropped()
            @unknown default:
                lane.queued.subtract(1, ordering: .relaxed)
                lane.sink.counters.countDropped()
            }
        }
    }

    /// Delivery figures per sink, in configuration order.
    public var statistics: [SinkStatistics] {
        lanes.map { lane in
            SinkStatistics(
                name: lane.sink.name, delivered: lane.sink.counters.delivered, dropped: lane.sink.counters.dropped,
                queued: max(0, lane.queued.load(ordering: .relaxed)), lastError: lane.lastError.withLock { $0 })
        }
    }

    /// Stops taking records and waits until every sink has been handed what was queued for it; records published
    /// afterwards are dropped and counted. Shut down each ``SyslogSink`` after this, so it can flush its own queue.
    public func finish() async {
        for lane in lanes { lane.continuation.finish() }
        for task in tasks { await task.value }
    }
}
