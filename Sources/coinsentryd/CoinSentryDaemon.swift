import Alerting
import Appliance
import ArgumentParser
import Control
import Capture
import DaemonSupport
import Detection
import FleetFiles
import Foundation
import Logging
import PoolDetection
import Sensor
import ServiceLifecycle

/// `coinsentryd`: the sensor daemon. Wires configuration, capture, decisions, alerts and control together.
@main
struct CoinSentryDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coinsentryd",
        abstract: "The CoinSentry sensor: capture, windows, detection, alerts and the control socket.",
        discussion: """
            Normally started by systemd (systemd/coinsentryd.service). Signals: SIGTERM stops gracefully (alerts and \
            state flushed), SIGHUP re-reads the configuration, the model, the pool-domain lists and the \
            pool-connection model, and reopens log files (anything bad is refused and the running one stays). Check a \
            configuration without starting: coinsentryd --config FILE --check
            """,
        version: CoinSentryVersion.current
    )

    @Option(help: "The configuration file.")
    var config = "/etc/coinsentry/coinsentry.toml"

    @Flag(help: "Check the configuration and model, print what would run, and exit.")
    var check = false

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "coinsentryd")
        logger.logLevel = .info
        let settings: SensorConfiguration
        let model: DetectionModel
        let poolModel: PoolShapeModel?
        let poolDomains: PoolDomainList
        do {
            settings = try SensorConfiguration.load(config)
            model = try Self.keyed("model.path") {
                try DetectionModel.load(settings.modelPath, sensorIntervalSeconds: settings.interval)
            }
            poolDomains = try Self.keyed("capture.pool_domain_files") {
                try PoolDomainList(files: settings.poolDomainFiles)
            }
            poolModel = try Self.keyed("model.pool_path") { try settings.poolModelPath.map { try PoolShapeModel.load($0) } }
        } catch {
            FileHandle.standardError.write(Data("coinsentryd: \(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG: systemd does not restart into the same mistake
        }
        let environment = settings.environmentProblems()
        for problem in environment { FileHandle.standardError.write(Data("coinsentryd: \(problem)\n".utf8)) }
        guard environment.isEmpty else { throw ExitCode(78) }
        Self.report(poolDomains, logger: logger)
        if check {
            print("configuration \(config) is valid; model \(model.file.id) (\(settings.modelPath)); "
                  + "\(poolDomains.names.count) pool domains"
                  + (poolDomains.skippedLines > 0 ? " (\(poolDomains.skippedLines) list lines skipped)" : "")
                  + "; pool-connection model "
                  + (poolModel == nil ? "none" : settings.poolModelPath ?? "") + "; "
                  + "sources \(settings.sourceNames.joined(separator: ", "))"
                  + (settings.inlineQueue != nil ? "; inline policy \(settings.inlinePolicy.rawValue)" : ""))
            return
        }
        let alerts: AlertPipeline
        let saved: SensorState
        do {
            alerts = try AlertOutputs.pipeline(for: settings)
            saved = try SensorState.load(from: alerts.store)
        } catch {
            FileHandle.standardError.write(Data("coinsentryd: \(error)\n".utf8))
            throw ExitCode(78)
        }
        let metrics = SensorMetrics(sinks: { alerts.dispatcher.statistics })
        let raise = AlertOutputs.output(to: alerts, logger: logger)
        let engine = try SensorEngine(configuration: settings, model: model, poolModel: poolModel,
                                      openAlerts: saved.openEpisodes, blocks: saved.blocks, allowed: saved.allowed,
                                      benign: saved.benign, store: AlertOutputs.stateStore(alerts.store, logger: logger),
                                      scoring: metrics.observeScoring,
                                      output: { alert in
                                          metrics.count(alert)
                                          raise(alert)
                                      })
        var metricsService: MetricsEndpoint?
        if let served = settings.metrics {
            do throws(ListenSettings.Problem) {
                metricsService = try MetricsEndpoint(settings: served) { metrics.exposition(of: engine) }
            } catch {
                FileHandle.standardError.write(Data("coinsentryd: \(error.key): \(error.message)\n".utf8))
                throw ExitCode(78)
            }
        }
        SensorState.restoreHosts(into: engine, from: alerts.store, logger: logger)
        let notifier = SystemdNotifier()
        let reloader = SensorReload(configurationPath: config, engine: engine, logger: logger)
        // SIGHUP and `coinsentryctl reload` do the same: configuration, lists and models, all checked before any is used.
        let reload: @Sendable (String) -> Result<ReloadReport, Error> = { requester in
            notifier.reloading()
            defer { notifier.ready() }
            return reloader.perform(requestedBy: requester)
        }
        let reloadLogger = logger
        let labels = OperatorLabels(saved: saved.labels, store: alerts.store,
                                    file: HostLabelFile.path(inStateDirectory: settings.stateDirectory))
        if let problem = labels.writeFile() {
            logger.error("label file not written", metadata: ["reason": "\(problem)"])
        }
        let commands = ControlCommands(engine: engine, logger: logger, reload: reload, store: alerts.store,
                                       labels: labels)
        let control: ControlService
        do {
            control = try ControlService(configuration: settings, commands: commands)
        } catch {
            FileHandle.standardError.write(Data("coinsentryd: control.socket: \(error)\n".utf8))
            throw ExitCode(78)
        }
        let capture = CaptureService(configuration: settings, engine: engine, logger: logger) { notifier.ready() }
        let status: @Sendable () -> String = { engine.statusLine }
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: control),
                    .init(service: capture),
                    .init(service: ReloadService {
                        _ = reload("SIGHUP")
                        for problem in await alerts.reopenFiles() {
                            reloadLogger.error("cannot reopen an alert file", metadata: ["reason": "\(problem)"])
                        }
                    }),
                    .init(service: NotifyService(notifier: notifier, status: status)),
                ] + (metricsService.map { [.init(service: $0)] } ?? []),
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        do {
            try await group.run()
        } catch {
            logger.error("stopping on an error", metadata: ["reason": "\(error)"])
            try? await finish(engine: engine, alerts: alerts, logger: logger)
            throw error
        }
        try await finish(engine: engine, alerts: alerts, logger: logger)
        logger.info("stopped")
    }

    /// Saves every host's state and flushes the alert sinks and store.
    private func finish(engine: SensorEngine, alerts: AlertPipeline, logger: Logger) async throws {
        SensorState.saveHosts(of: engine, to: alerts.store, logger: logger)
        try await alerts.shutdown(within: .seconds(5))
    }

    /// Logs the lines a pool-domain list skipped, with file and line (the first few) and how many in all.
    private static func report(_ domains: PoolDomainList, logger: Logger) {
        guard domains.skippedLines > 0 else { return }
        for problem in domains.problems {
            logger.warning("pool-domain list line skipped", metadata: ["where": "\(problem)"])
        }
        logger.warning("pool-domain lists loaded with lines skipped",
                       metadata: ["names": "\(domains.names.count)", "skipped": "\(domains.skippedLines)",
                                  "duplicates": "\(domains.duplicates)"])
    }

    /// Runs a load, naming the configuration key it serves in its error.
    private static func keyed<T>(_ key: String, _ load: () throws -> T) throws -> T {
        do {
            return try load()
        } catch {
            throw ConfigurationError(file: "configuration", key: key, "\(error)")
        }
    }
}
