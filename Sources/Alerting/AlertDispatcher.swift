import Synchronization

/// Fans each alert record out to every configured sink, each sink fed from its own bounded queue by its own task, so
/// a slow or failing sink never delays the others.
///
/// ``publish(_:id:)`` never waits: when a sink's queue is full the record is dropped for that sink and counted in its
/// ``SinkCounters``; a record a sink fails to take (`deliver` throws) is counted the same way and its error kept for
/// ``statistics``. For records with a store row id, each sink's progress (every record up to that id settled: written,
/// sent, or dropped and counted) goes to the `progress` closure, which the pipeline keeps in the store.
public final class AlertDispatcher: Sendable {
    /// Delivery figures of one sink.
    public struct SinkStatistics: Sendable {
        /// The sink's name.
        public var name: String
        /// Records the sink delivered.
        public var delivered: UInt64
        /// Records dropped for this sink: its queue was full, it failed, or it was shut down with records waiting.
        public var dropped: UInt64
        /// Records waiting for this sink: in the dispatcher's queue, and in the sink's own (``AlertSink/pending``).
        public var queued: Int
        /// The sink's current failure (``AlertSink/transportError``), else the last record it failed to take.
        public var lastError: AlertingError?
    }

    /// A sink's delivery progress: every record up to the store row `id` has settled for `sink` (its name).
    public typealias Progress = @Sendable (_ sink: String, _ id: Int64) -> Void

    private struct Outgoing: Sendable {
        var record: AlertRecord
        var id: Int64?
    }

    private final class Lane: Sendable {
        let sink: any AlertSink
        let continuation: AsyncStream<Outgoing>.Continuation
        let stream: AsyncStream<Outgoing>
        let queued = Atomic<Int>(0)
        let lastError = Mutex<AlertingError?>(nil)
        let progress = DeliveryProgress()
        let report: Progress?
        /// Whether records of *suspect* episodes go to this sink.
        let takesSuspects: Bool

        init(sink: any AlertSink, capacity: Int, takesSuspects: Bool, report: Progress?) {
            self.sink = sink
            self.takesSuspects = takesSuspects
            self.report = report
            (stream, continuation) = AsyncStream.makeStream(of: Outgoing.self,
                                                            bufferingPolicy: .bufferingOldest(capacity))
        }

        func takes(_ record: AlertRecord) -> Bool { record.level != .suspect || takesSuspects }

        /// Queues a record without waiting; a full queue drops it, counted (and settled: it will not come again).
        func enqueue(_ outgoing: Outgoing) {
            if let id = outgoing.id { progress.handed(id) }
            queued.add(1, ordering: .relaxed)
            switch continuation.yield(outgoing) {
            case .enqueued:
                break
            default:
                queued.subtract(1, ordering: .relaxed)
                sink.counters.countDropped()
                settle(outgoing.id)
            }
        }

        func settle(_ id: Int64?) {
            guard let id, let reached = progress.settle(id) else { return }
            report?(sink.name, reached)
        }
    }

    private let lanes: [Lane]
    private let tasks: [Task<Void, Never>]

    /// Starts one delivery task per sink.
    /// - Parameters:
    ///   - sinks: the destinations, each receiving every record.
    ///   - capacity: how many records may wait for each sink (at least 1).
    ///   - suspectsTo: which sinks take records of *suspect* episodes (all by default; the daemon's configuration
    ///     `alerts.suspect_outputs` names them).
    ///   - progress: where each sink's delivery progress goes (the pipeline keeps it in the alert store).
    public init(sinks: [any AlertSink], capacity: Int = 1024, suspectsTo: (any AlertSink) -> Bool = { _ in true },
                progress: Progress? = nil) {
        let lanes = sinks.map {
            Lane(sink: $0, capacity: max(1, capacity), takesSuspects: suspectsTo($0), report: progress)
        }
        self.lanes = lanes
        self.tasks = lanes.map { lane in
            Task {
                for await outgoing in lane.stream {
                    lane.queued.subtract(1, ordering: .relaxed)
                    let id = outgoing.id
                    do throws(AlertingError) {
                        try await lane.sink.deliver(outgoing.record, id: id) { lane.settle(id) }
                    } catch {
                        lane.sink.counters.countDropped()
                        lane.lastError.withLock { $0 = error }
                        lane.settle(id)
                    }
                }
            }
        }
    }

    /// The sinks, in configuration order.
    public var sinks: [any AlertSink] { lanes.map(\.sink) }

    /// Queues a record for every sink without waiting; a sink whose queue is full drops it and counts the drop.
    /// - Parameter id: the record's row in the alert store, for delivery progress (nil: not stored, not tracked).
    public func publish(_ record: AlertRecord, id: Int64? = nil) {
        for lane in lanes where lane.takes(record) {
            lane.enqueue(Outgoing(record: record, id: id))
        }
    }

    /// Queues stored records for the one sink named `sink` (those it takes), in order: what it had not settled when
    /// the daemon last stopped. Returns how many were queued.
    @discardableResult
    public func redeliver(_ alerts: [StoredAlert], to sink: String) -> Int {
        guard let lane = lanes.first(where: { $0.sink.name == sink }) else { return 0 }
        let taken = alerts.filter { lane.takes($0.record) }
        for alert in taken { lane.enqueue(Outgoing(record: alert.record, id: alert.id)) }
        return taken.count
    }

    /// Delivery figures per sink, in configuration order.
    public var statistics: [SinkStatistics] {
        lanes.map { lane in
            SinkStatistics(
                name: lane.sink.name, delivered: lane.sink.counters.delivered, dropped: lane.sink.counters.dropped,
                queued: max(0, lane.queued.load(ordering: .relaxed)) + lane.sink.pending,
                lastError: lane.sink.transportError ?? lane.lastError.withLock { $0 })
        }
    }

    /// Stops taking records and waits until every sink has been handed what was queued for it; records published
    /// afterwards are dropped and counted. Shut down each ``SyslogSink`` after this, so it can flush its own queue.
    public func finish() async {
        for lane in lanes { lane.continuation.finish() }
        for task in tasks { await task.value }
    }
}
