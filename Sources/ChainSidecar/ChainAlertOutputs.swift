import Alerting
import ChainAnalysis
import Foundation

/// The sidecar's alert sinks, as `[alerts]` in chain.toml configures them: journald, a JSON lines file and RFC 5424
/// syslog, fed by one ``AlertDispatcher`` (the sensor's sinks and schema; the sidecar keeps no alert store, since
/// what was alerted is the watchlist monitor's position, saved in the chain store).
public struct ChainAlertOutputs: Sendable {
    /// The `SYSLOG_IDENTIFIER` and syslog APP-NAME of the sidecar's alerts.
    public static let identifier = "coinsentry-chaind"

    /// The dispatcher over the configured sinks.
    public let dispatcher: AlertDispatcher

    /// Opens every configured sink.
    /// - Throws: `AlertingError` naming the sink that could not be opened (a JSON file whose directory is missing).
    public init(configuration: ChainSidecarConfiguration) throws(AlertingError) {
        var sinks = [any AlertSink]()
        if configuration.journald { sinks.append(JournalSink(identifier: Self.identifier)) }
        if let path = configuration.jsonFile { sinks.append(try JSONLinesSink(path: path)) }
        for target in configuration.syslogTargets {
            guard let transport = SyslogSink.Transport(target: target) else {
                throw AlertingError(.invalidArgument, "[alerts] syslog: '\(target)' is not a syslog destination")
            }
            sinks.append(try SyslogSink(SyslogSink.Configuration(
                transport: transport,
                message: SyslogMessage(facility: configuration.syslogFacility, appName: Self.identifier))))
        }
        dispatcher = AlertDispatcher(sinks: sinks)
    }

    /// Queues the records for every sink without waiting.
    public func publish(_ records: [AlertRecord]) {
        for record in records { dispatcher.publish(record) }
    }

    /// Hands every queued record to its sink and lets syslog sinks send their queues for at most `timeout`.
    public func shutdown(within timeout: Duration = .seconds(2)) async {
        await dispatcher.finish()
        for case let sink as SyslogSink in dispatcher.sinks { await sink.shutdown(within: timeout) }
    }
}

extension AlertRecord {
    /// A watchlist alert in the sensor's schema: event `watchlist`, the Bitcoin address as host, verdict `active`
    /// (new activity) or the new behaviour class, the classifier's confidence as score, and the monitor's evidence
    /// (txid, height, amounts, previous class) as `{"kind": KEY, "name": VALUE}` items sorted by key.
    public init(_ alert: ChainAlert) {
        let verdict = alert.verdict == "activity" ? "active"
            : alert.verdict.hasPrefix("class:") ? String(alert.verdict.dropFirst("class:".count)) : alert.verdict
        self.init(time: Date(timeIntervalSince1970: TimeInterval(alert.time)), sensor: alert.sensorId,
                  event: .watchlist, host: alert.host, verdict: verdict, score: alert.score,
                  windows: alert.windowsVoted, model: alert.modelId ?? "",
                  evidence: alert.evidence.sorted { $0.key < $1.key }.map { Evidence(kind: $0.key, name: $0.value) },
                  action: alert.actionTaken)
    }
}
