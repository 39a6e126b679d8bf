import Alerting
import DaemonSupport
import FleetFiles
import Logging
import ServiceLifecycle
import UnixSignals

/// The sensor daemon as a group of services: control socket, capture, SIGHUP reload, systemd notification and (when
/// configured) the metrics endpoint. Opening it restores the saved state (open episodes, inline blocks, operator
/// labels, hosts); running it captures until a graceful shutdown, then saves every host's state and flushes the alert
/// sinks and store. `coinsentryd` only parses its arguments and runs one of these.
public struct SensorDaemon: Service {
    private let engine: SensorEngine
    private let alerts: AlertPipeline
    private let services: [ServiceGroupConfiguration.ServiceConfiguration]
    private let shutdownSignals: [UnixSignal]
    private let logger: Logger

    /// Opens the alert pipeline and the saved state, builds the engine and the services; nothing runs yet.
    ///
    /// - Parameter shutdownSignals: the signals that stop the daemon gracefully (none when it runs inside another
    ///   service group, which passes its own graceful shutdown down).
    public init(setup: SensorSetup, logger: Logger,
                shutdownSignals: [UnixSignal] = [.sigterm, .sigint]) throws(StartupProblem) {
        let settings = setup.settings
        let alerts: AlertPipeline
        let saved: SensorState
        do {
            alerts = try AlertOutputs.pipeline(for: settings)
            saved = try SensorState.load(from: alerts.store)
            // What a sink had not settled when the daemon last stopped (killed, or a collector down) goes out again.
            for (sink, count) in try alerts.resumeDeliveries().sorted(by: { $0.key < $1.key }) {
                logger.notice("alerts not delivered before the last stop are sent again",
                              metadata: ["sink": "\(sink)", "alerts": "\(count)"])
            }
        } catch {
            throw StartupProblem("\(error)")
        }
        let metrics = SensorMetrics(alerts: alerts)
        let raise = AlertOutputs.output(to: alerts, logger: logger)
        let engine: SensorEngine
        do {
            engine = try SensorEngine(
                configuration: settings, model: setup.model, poolModel: setup.poolModel,
                openAlerts: saved.openEpisodes, blocks: saved.blocks, allowed: saved.allowed, benign: saved.benign,
                store: AlertOutputs.stateStore(alerts.store, logger: logger), scoring: metrics.observeScoring,
                output: { alert in
                    metrics.count(alert)
                    raise(alert)
                })
        } catch {
            throw StartupProblem("\(error)")
        }
        var metricsService: MetricsEndpoint?
        if let served = settings.metrics {
            do throws(ListenSettings.Problem) {
                metricsService = try MetricsEndpoint(settings: served) { metrics.exposition(of: engine) }
            } catch {
                throw StartupProblem("\(error.key): \(error.message)")
            }
        }
        SensorState.restoreHosts(into: engine, from: alerts.store, logger: logger)

        let notifier = SystemdNotifier()
        let reloader = SensorReload(configurationPath: setup.configurationPath, engine: engine, logger: logger)
        // SIGHUP and `coinsentryctl reload` do the same: configuration, lists and models, each checked before use.
        let reload: @Sendable (String) -> Result<ReloadReport, Error> = { requester in
            notifier.reloading()
            defer { notifier.ready() }
            return reloader.perform(requestedBy: requester)
        }
        let labels = OperatorLabels(saved: saved.labels, store: alerts.store,
                                    file: HostLabelFile.path(inStateDirectory: settings.stateDirectory))
        if let problem = labels.writeFile() {
            logger.error("label file not written", metadata: ["reason": "\(problem)"])
        }
        let commands = ControlCommands(engine: engine, logger: logger, reload: reload, alerts: alerts,
                                       labels: labels)
        let control: ControlService
        do {
            control = try ControlService(configuration: settings, commands: commands)
        } catch {
            throw StartupProblem("control.socket: \(error)")
        }
        let capture = CaptureService(configuration: settings, engine: engine, logger: logger) { notifier.ready() }
        let reloadLogger = logger
        services = [
            .init(service: control),
            .init(service: capture),
            .init(service: ReloadService {
                _ = reload("SIGHUP")
                for problem in await alerts.reopenFiles() {
                    reloadLogger.error("cannot reopen an alert file", metadata: ["reason": "\(problem)"])
                }
            }),
            .init(service: NotifyService(notifier: notifier) { engine.statusLine }),
        ] + (metricsService.map { [.init(service: $0)] } ?? [])
        self.engine = engine
        self.alerts = alerts
        self.shutdownSignals = shutdownSignals
        self.logger = logger
    }

    /// Runs the services until a graceful shutdown (or one of them fails), then saves and flushes.
    public func run() async throws {
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: shutdownSignals, logger: logger))
        do {
            try await group.run()
        } catch {
            logger.error("stopping on an error", metadata: ["reason": "\(error)"])
            try? await finish()
            throw error
        }
        try await finish()
        logger.info("stopped")
    }

    /// Saves every host's state and flushes the alert sinks and store.
    private func finish() async throws {
        SensorState.saveHosts(of: engine, to: alerts.store, logger: logger)
        try await alerts.shutdown(within: .seconds(5))
    }
}
