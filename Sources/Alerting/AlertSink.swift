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
}
