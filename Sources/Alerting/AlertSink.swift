/// A destination for alert records: journald, syslog, a JSON lines file.
///
/// The contract with ``AlertDispatcher``: `deliver` returns once the sink has taken the record (written it, or queued
/// it in its own transport) and then counts it in ``counters`` itself, as delivered or dropped; when `deliver` throws,
/// the sink has not counted it and the dispatcher counts it as dropped.
public protocol AlertSink: Sendable {
    /// A short name for statistics and logs, such as `journald` or `syslog-tcp 10.0.0.2:6514`.
    var name: String { get }
    /// Delivered and dropped counts.
    var counters: SinkCounters { get }
    /// Delivers one record.
    func deliver(_ record: AlertRecord) async throws(AlertingError)
    /// Delivers one record, the alert store's row `id` (nil for a record the store does not hold), and calls `settled`
    /// once the record is settled for good: written or sent, or dropped and counted. The dispatcher records each
    /// sink's progress there, so a record taken but never settled (the daemon was killed, or stopped with the record
    /// still in the sink's own queue) is delivered again when the daemon starts. A sink that settles a record before
    /// `deliver` returns needs only ``deliver(_:)``.
    func deliver(_ record: AlertRecord, id: Int64?, settled: @escaping @Sendable () -> Void)
        async throws(AlertingError)
    /// Records taken but still waiting in the sink's own queue (a syslog sink's, while its collector is away).
    var pending: Int { get }
    /// The sink's own current failure (a syslog collector that cannot be reached), nil when it works.
    var transportError: AlertingError? { get }
}

extension AlertSink {
    public func deliver(_ record: AlertRecord, id: Int64?, settled: @escaping @Sendable () -> Void)
        async throws(AlertingError) {
        try await deliver(record)
        settled()
    }

    /// None: a sink that writes as it takes keeps no queue of its own.
    public var pending: Int { 0 }

    /// None: a sink that writes as it takes reports its failures by throwing from `deliver`.
    public var transportError: AlertingError? { nil }
}
