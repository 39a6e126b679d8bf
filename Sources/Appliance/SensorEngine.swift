import Alerting
import Capture
import Detection
import Foundation
import Sensor
import Synchronization

/// The running sensor's state: one decision pipeline per interface, the loaded model, alerts, and what the control
/// socket reports. Capture consumer threads feed it; control requests read and change it; all under one mutex, held
/// only for in-memory work.
public final class SensorEngine: Sendable {
    struct InterfaceState {
        var pipeline: SensorPipeline
        var statistics = CaptureStatistics()
        var previousStatistics = CaptureStatistics()
        var rateSampledAt = Date()
        var packetsPerSecond = 0.0
        var bytesPerSecond = 0.0
    }

    struct State {
        var model: DetectionModel
        var modelPath: String
        var interfaces: [String: InterfaceState] = [:]
        var paused = false
        /// Hosts with an open *mining* alert, with when it was last raised or reminded.
        var openMining: [String: Date] = [:]
        var configuration: SensorConfiguration
    }

    /// Where alert records go (the dispatcher to journald, syslog, JSON lines and the store).
    public typealias AlertOutput = @Sendable (AlertRecord) -> Void

    private let state: Mutex<State>
    private let output: AlertOutput
    public let startedAt = Date()

    /// - Parameters:
    ///   - openAlerts: hosts whose *mining* alert is still open from before a restart (not raised again).
    /// - Throws: when the model's window settings cannot be honoured.
    public init(configuration: SensorConfiguration, model: DetectionModel, openAlerts: [String: Date] = [:],
                output: @escaping AlertOutput) throws {
        var initial = State(model: model, modelPath: configuration.modelPath, configuration: configuration)
        for interface in configuration.interfaces {
            initial.interfaces[interface] = InterfaceState(
                pipeline: try SensorPipeline(model: model, maximumHosts: configuration.maxHosts))
        }
        initial.openMining = openAlerts
        state = Mutex(initial)
        self.output = output
    }

    // MARK: Fed by the capture threads

    /// Feeds one interface's capture events through its pipeline and raises the alerts that follow.
    public func handle(_ events: [CaptureEvent], from interface: String, statistics: CaptureStatistics) {
        let alerts = state.withLock { state -> [AlertRecord] in
            guard var entry = state.interfaces[interface] else { return [] }
            Self.sampleRates(&entry, statistics)
            var alerts = [AlertRecord]()
            if !state.paused {
                for event in events {
                    for change in entry.pipeline.handle(event) {
                        if let alert = Self.alert(for: change, state: &state, model: entry.pipeline.model) {
                            alerts.append(alert)
                        }
                    }
                }
                alerts += Self.reminders(state: &state, pipeline: entry.pipeline)
            }
            state.interfaces[interface] = entry
            return alerts
        }
        for alert in alerts { output(alert) }
    }

    private static func sampleRates(_ entry: inout InterfaceState, _ statistics: CaptureStatistics) {
        entry.statistics = statistics
        let now = Date()
        let elapsed = now.timeIntervalSince(entry.rateSampledAt)
        guard elapsed >= 1 else { return }
        entry.packetsPerSecond = Double(statistics.packets &- entry.previousStatistics.packets) / elapsed
        entry.bytesPerSecond = Double(statistics.bytes &- entry.previousStatistics.bytes) / elapsed
        entry.previousStatistics = statistics
        entry.rateSampledAt = now
    }

    private static func alert(for change: VerdictChange, state: inout State, model: DetectionModel) -> AlertRecord? {
        let host = change.host.description
        let evidence = [AlertRecord.Evidence(kind: "statistics", score: change.verdict.score)]
            + change.busiestRemotes.map {
                AlertRecord.Evidence(kind: "remote", remote: $0.description, bytes: $0.bytes)
            }
        let configuration = state.configuration
        if change.verdict.isMining {
            guard state.openMining[host] == nil else { return nil }
            state.openMining[host] = Date()
            return AlertRecord(time: Date(), sensor: configuration.sensorID, event: .mining, host: host,
                               verdict: "mining", score: change.verdict.score, windows: change.verdict.windows,
                               model: model.file.id, evidence: evidence)
        }
        guard state.openMining.removeValue(forKey: host) != nil else { return nil }
        return AlertRecord(time: Date(), sensor: configuration.sensorID, event: .cleared, host: host,
                           verdict: "clear", score: change.verdict.score, windows: change.verdict.windows,
                           model: model.file.id, evidence: evidence)
    }

    private static func reminders(state: inout State, pipeline: SensorPipeline) -> [AlertRecord] {
        let period = state.configuration.reminderSeconds
        guard period > 0 else { return [] }
        let now = Date()
        var alerts = [AlertRecord]()
        for (host, raised) in state.openMining where now.timeIntervalSince(raised) >= period {
            guard let address = HostAddress(host), let status = pipeline.hosts[address], status.verdict.isMining else {
                continue
            }
            state.openMining[host] = now
            alerts.append(AlertRecord(time: now, sensor: state.configuration.sensorID, event: .reminder, host: host,
                                      verdict: "mining", score: status.verdict.score, windows: status.verdict.windows,
                                      model: pipeline.model.file.id,
                                      evidence: [AlertRecord.Evidence(kind: "statistics", score: status.verdict.score)]))
        }
        return alerts
    }

    // MARK: Operator actions

    /// Stops deciding and alerting (capture keeps counting); `resume` starts deciding again on fresh windows.
    public func setPaused(_ paused: Bool) {
        state.withLock { state in
            guard state.paused != paused else { return }
            state.paused = paused
            if !paused {
                for name in state.interfaces.keys {
                    _ = state.interfaces[name]?.pipeline.handle(.discontinuity(from: 0, to: 0))
                }
            }
        }
    }

    /// Uses a new model from now on (after checks by the caller); votes restart.
    /// - Throws: when its window settings cannot be honoured; the running model stays.
    public func replaceModel(_ model: DetectionModel, path: String) throws {
        try state.withLock { state in
            var replaced = state.interfaces
            for name in replaced.keys { try replaced[name]?.pipeline.replace(model: model) }
            state.interfaces = replaced
            state.model = model
            state.modelPath = path
        }
    }

    /// Takes the settings of a re-read configuration that apply without a restart (sensor id, reminder period, model
    /// path) and returns the keys whose new values wait for one.
    public func applyReloaded(_ next: SensorConfiguration) -> [String] {
        state.withLock { state in
            let current = state.configuration
            var pending = [String]()
            if next.interfaces != current.interfaces { pending.append("capture.interfaces") }
            if next.localNetworks != current.localNetworks { pending.append("capture.local_networks") }
            if next.interval != current.interval { pending.append("capture.interval") }
            if next.snapLength != current.snapLength || next.bufferMiB != current.bufferMiB
                || next.promiscuous != current.promiscuous || next.immediateMode != current.immediateMode
                || next.filter != current.filter || next.cpu != current.cpu || next.maxHosts != current.maxHosts {
                pending.append("capture (snap length, buffer, promiscuous, immediate mode, filter, cpu, max hosts)")
            }
            if next.stateDirectory != current.stateDirectory { pending.append("state_directory") }
            if next.journald != current.journald || next.jsonFile != current.jsonFile
                || next.syslogTargets != current.syslogTargets || next.syslogFacility != current.syslogFacility {
                pending.append("alerts (sinks)")
            }
            if next.controlSocket != current.controlSocket || next.controlGroup != current.controlGroup {
                pending.append("control")
            }
            state.configuration.sensorID = next.sensorID
            state.configuration.reminderSeconds = next.reminderSeconds
            state.configuration.modelPath = next.modelPath
            return pending
        }
    }

    /// The model file the configuration names now.
    public var modelPath: String { state.withLock { $0.configuration.modelPath } }

    /// Sends out an alert raised outside the decision path (operator actions).
    public func raise(_ alert: AlertRecord) {
        output(alert)
    }

    // MARK: Views for the control socket

    /// A consistent copy of everything the control commands report.
    public struct Snapshot: Sendable {
        public var model: DetectionModel
        public var modelPath: String
        public var paused: Bool
        public var hosts: [HostStatus]
        public var interfaces: [(name: String, statistics: CaptureStatistics, packetsPerSecond: Double,
                                 bytesPerSecond: Double, windowsDecided: Int)]
        public var openMining: [String: Date]
        public var configuration: SensorConfiguration
    }

    public func snapshot() -> Snapshot {
        state.withLock { state in
            let names = state.interfaces.keys.sorted()
            return Snapshot(
                model: state.model, modelPath: state.modelPath, paused: state.paused,
                hosts: names.flatMap { state.interfaces[$0]!.pipeline.hosts.values },
                interfaces: names.map { name in
                    let entry = state.interfaces[name]!
                    return (name, entry.statistics, entry.packetsPerSecond, entry.bytesPerSecond,
                            entry.pipeline.windowsDecided)
                },
                openMining: state.openMining,
                configuration: state.configuration)
        }
    }
}
