import Alerting
import Foundation

/// The alert pipeline the configuration asks for: the store under the state directory, and the journald, JSON lines
/// and syslog sinks that are switched on.
public enum AlertOutputs {
    /// - Throws: `AlertingError` naming the sink or store that could not be opened.
    public static func pipeline(for configuration: SensorConfiguration) throws(AlertingError) -> AlertPipeline {
        let store = try AlertStore(directory: configuration.stateDirectory)
        var sinks = [any AlertSink]()
        if configuration.alerts.journald { sinks.append(JournalSink(identifier: "coinsentryd")) }
        if let path = configuration.alerts.jsonFile { sinks.append(try JSONLinesSink(path: path)) }
        let facility = SyslogFacility(name: configuration.alerts.syslogFacility) ?? .daemon
        for target in configuration.alerts.syslogTargets {
            guard let transport = SyslogSink.Transport(target: target) else {
                throw AlertingError(.invalidArgument, "alerts.syslog: '\(target)' is not a syslog destination")
            }
            sinks.append(try SyslogSink(SyslogSink.Configuration(
                transport: transport, message: SyslogMessage(facility: facility, appName: "coinsentryd"))))
        }
        let suspects = configuration.alerts.suspectOutputs
        return AlertPipeline(store: store, sinks: sinks, suspectsTo: { sink in
            switch sink {
            case is JournalSink: suspects.contains(.journald)
            case is JSONLinesSink: suspects.contains(.json)
            case is SyslogSink: suspects.contains(.syslog)
            default: true
            }
        })
    }
}
