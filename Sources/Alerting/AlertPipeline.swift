import Synchronization

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
    ///
    /// Each sink's delivery progress is kept in the store as records settle (a failure to keep it is counted in
    /// ``progressFailures``, and means that sink may get those records again after a restart, never fewer).
    public init(store: AlertStore, sinks: [any AlertSink], capacity: Int = 1024,
                suspectsTo: (any AlertSink) -> Bool = { _ in true }) {
        self.store = store
        let failures = FailureCount()
        progressFailureCount = failures
        self.dispatcher = AlertDispatcher(sinks: sinks, capacity: capacity, suspectsTo: suspectsTo) { sink, id in
            do throws(AlertingError) {
                try store.recordDelivery(sink: sink, upTo: id)
            } catch {
                failures.count.add(1, ordering: .relaxed)
            }
        }
    }

    private final class FailureCount: Sendable {
        let count = Atomic<UInt64>(0)
    }

    private let progressFailureCount: FailureCount
    private let notStoredCount = FailureCount()

    /// Times a sink's delivery progress could not be written to the store.
    public var progressFailures: UInt64 { progressFailureCount.count.load(ordering: .relaxed) }

    /// Records the store could not take (a full disk, an I/O error): neither stored nor sent.
    public var notStored: UInt64 { notStoredCount.count.load(ordering: .relaxed) }

    /// Stores the record if it is new for its host (``AlertStore/raise(_:)``) and then queues it for every sink;
    /// a suppressed record goes nowhere.
    /// - Throws: ``AlertingError/Code/store`` when the store fails; the record is then not sent either, so the sinks
    ///   never show an alert the store does not know, and it is counted in ``notStored``.
    @discardableResult
    public func raise(_ record: AlertRecord) throws(AlertingError) -> AlertStore.Outcome {
        let outcome: AlertStore.Outcome
        do throws(AlertingError) {
            outcome = try store.raise(record)
        } catch {
            notStoredCount.count.add(1, ordering: .relaxed)
            throw error
        }
        if case .raised(let id) = outcome { dispatcher.publish(record, id: id) }
        return outcome
    }

    /// Delivers again, to each sink, the stored alerts it had not settled when the daemon last stopped (killed, or
    /// stopped with records in a sink's queue); a sink the store has never seen starts from the latest alert, without
    /// the history. Call it once at start, before anything is raised. Returns what each sink is given again, by name
    /// (sinks with nothing to catch up on left out).
    public func resumeDeliveries() throws(AlertingError) -> [String: Int] {
        let latest = try store.latestAlertID()
        var resumed: [String: Int] = [:]
        for sink in dispatcher.sinks {
            guard let progress = try store.deliveryProgress(sink: sink.name) else {
                try store.recordDelivery(sink: sink.name, upTo: latest)
                continue
            }
            var after = progress
            while after < latest {
                let batch = try store.alerts(after: after, limit: 1_000)
                guard let last = batch.last else { break }
                let count = dispatcher.redeliver(batch, to: sink.name)
                if count > 0 { resumed[sink.name, default: 0] += count }
                after = last.id
            }
        }
        return resumed
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
