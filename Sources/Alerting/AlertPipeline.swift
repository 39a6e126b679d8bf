/// What the daemon holds for alerting: the store that decides whether an event is new, and the dispatcher that sends
/// what is new to every sink. SIGHUP calls ``reopenFiles()``; graceful shutdown calls ``shutdown(within:)``.
public final class AlertPipeline: Sendable {
    /// The alert store.
    public let store: AlertStore
    /// The dispatcher over the configured sinks.
    public let dispatcher: AlertDispatcher

    /// Creates the pipeline and starts the dispatcher's delivery tasks.
    /// - Parameters:
    ///   - store: the opened alert store.
    ///   - sinks: the configured sinks, each receiving every raised record.
    ///   - capacity: records that may wait for each sink in the dispatcher.
    public init(store: AlertStore, sinks: [any AlertSink], capacity: Int = 1024,
                suspectsTo: (any AlertSink) -> Bool = { _ in true }) {
        self.store = store
        self.dispatcher = AlertDispatcher(sinks: sinks, capacity: capacity, suspectsTo: suspectsTo)
    }

    /// Stores the record if it is new for its host (``AlertStore/raise(_:)``) and then queues it for every sink;
    /// a suppressed record goes nowhere.
    /// - Throws: ``AlertingError/Code/store`` when the store fails; the record is then not sent either, so the sinks
    ///   never show an alert the store does not know.
    @discardableResult
    public func raise(_ record: AlertRecord) throws(AlertingError) -> AlertStore.Outcome {
        let outcome = try store.raise(record)
        if case .raised = outcome { dispatcher.publish(record) }
        return outcome
    }

    /// Reopens every JSON lines file at its configured path, after logrotate renamed it; returns the failures (the
    /// sinks concerned keep writing to the file they had).
    public func reopenFiles() async -> [AlertingError] {
        var failures: [AlertingError] = []
        for case let sink as JSONLinesSink in dispatcher.sinks {
            do throws(AlertingError) {
                try await sink.reopen()
            } catch {
                failures.append(error)
            }
        }
        return failures
    }

    /// Hands every queued record to its sink, lets each syslog sink send its queue for at most `timeout`, and closes
    /// the store. Records left unsent are counted as dropped.
    public func shutdown(within timeout: Duration = .seconds(2)) async throws(AlertingError) {
        await dispatcher.finish()
        for case let sink as SyslogSink in dispatcher.sinks { await sink.shutdown(within: timeout) }
        try store.close()
    }
}
