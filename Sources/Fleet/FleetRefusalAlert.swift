import Alerting
import FleetFiles
import Foundation

/// The operator's alert when a participant refuses a round's global model: an `AlertRecord` of event
/// `fleet-refused` (journald `MESSAGE_ID` f796f609e22a4f97b93dac4f465c50e8, priority 4 warning), sent through the
/// product's own sinks, beside the `refused` line of the fleet state file.
public enum FleetRefusalAlert {
    /// Where the alert goes.
    public enum Destination: Hashable, Sendable, CustomStringConvertible {
        /// journald, through `sd_journal_sendv` (`SYSLOG_IDENTIFIER=coinsentry-fleet`).
        case journald
        /// RFC 5424 syslog: `unix:/dev/log`, `udp:HOST:PORT` or `tcp:HOST:PORT`.
        case syslog(SyslogSink.Transport)

        /// `journald`, or a syslog target as `coinsentryd`'s configuration writes it; nil for anything else.
        public init?(_ text: String) {
            if text == "journald" {
                self = .journald
            } else if let transport = SyslogSink.Transport(target: text) {
                self = .syslog(transport)
            } else {
                return nil
            }
        }

        public var description: String {
            switch self {
            case .journald: "journald"
            case .syslog(let transport): "syslog \(transport)"
            }
        }
    }

    /// The identifier (journald's `SYSLOG_IDENTIFIER`, syslog's APP-NAME) of the alerts.
    public static let identifier = "coinsentry-fleet"

    /// The alert for a `refused` state line; `sensor` names the participant.
    public static func record(for refused: FleetStateRecord, sensor: String) -> AlertRecord {
        let time = (try? Date(refused.time, strategy: .iso8601)) ?? Date()
        return AlertRecord(
            time: time, sensor: sensor, event: .fleetRefused, host: "-", verdict: "refused",
            score: refused.candidateScore, windows: refused.holdoutExamples, model: refused.modelId,
            evidence: [AlertRecord.Evidence(kind: "fleet", name: refused.federation.rawValue,
                                            score: refused.currentScore)],
            rule: "acceptance-check",
            reason: (refused.round.map { "round \($0): " } ?? "") + refused.reason)
    }

    /// Sends `alert` to every destination and waits until each has taken it (syslog: sent, or given up after
    /// `timeout`). Returns what could not be delivered, in words; an empty list when all were.
    public static func send(_ alert: AlertRecord, to destinations: [Destination], timeout: Duration = .seconds(3))
        async -> [String] {
        var failures = [String]()
        for destination in destinations {
            switch destination {
            case .journald:
                do {
                    try await JournalSink(identifier: identifier).deliver(alert)
                } catch {
                    failures.append("journald: \(error)")
                }
            case .syslog(let transport):
                do {
                    let sink = try SyslogSink(SyslogSink.Configuration(
                        transport: transport, message: SyslogMessage(appName: identifier), capacity: 1,
                        maximumBackoff: .seconds(1), ioTimeout: timeout))
                    try await sink.deliver(alert)
                    await sink.shutdown(within: timeout)
                    if sink.counters.delivered == 0 {
                        failures.append("\(sink.name): \(sink.status.lastError.map { "\($0)" } ?? "not sent")")
                    }
                } catch {
                    failures.append("syslog \(transport): \(error)")
                }
            }
        }
        return failures
    }
}
