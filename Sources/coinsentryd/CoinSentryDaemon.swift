import Alerting
import Appliance
import ArgumentParser
import Capture
import DaemonSupport
import Detection
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
            """
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
            model = try DetectionModel.load(settings.modelPath, sensorIntervalSeconds: settings.interval)
            (poolDomains, poolModel) = try Self.poolEvidence(settings)
        } catch {
            FileHandle.standardError.write(Data("coinsentryd: \(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG: systemd does not restart into the same mistake
        }
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
        let openAlerts: [HostAddress: EpisodeTracker.Episode]
        let blocks: [InlineBlock], allowed: [AllowedHost]
        do {
            alerts = try AlertOutputs.pipeline(for: settings)
            openAlerts = Dictionary(try alerts.store.openAlerts(kind: .mining).compactMap { stored in
                HostAddress(stored.record.host).map {
                    ($0, EpisodeTracker.Episode(level: stored.record.event == .suspect ? .suspect : .mining,
                                                raisedAt: stored.record.time.timeIntervalSince1970))
                }
            }, uniquingKeysWith: { first, _ in first })
            blocks = try alerts.store.blocks()
            allowed = try alerts.store.allowlist()
        } catch {
            FileHandle.standardError.write(Data("coinsentryd: \(error)\n".utf8))
            throw ExitCode(78)
        }
        let alertLogger = logger
        let storeInline: SensorEngine.InlineStore = { change in
            do {
                try alerts.store.apply(change)
            } catch {
                alertLogger.error("inline state not stored", metadata: ["reason": "\(error)"])
            }
        }
        let engine = try SensorEngine(configuration: settings, model: model, poolModel: poolModel,
                                      openAlerts: openAlerts, blocks: blocks,
                                      allowed: allowed, store: storeInline) { alert in
            alertLogger.notice("alert", metadata: ["event": "\(alert.event.rawValue)", "host": "\(alert.host)",
                                                   "level": "\(alert.level?.rawValue ?? "-")",
                                                   "score": "\(alert.score)", "windows": "\(alert.windows)",
                                                   "evidence": "\(alert.evidence.map(\.kind).joined(separator: ","))"])
            do {
                _ = try alerts.raise(alert)
            } catch {
                alertLogger.error("alert not stored", metadata: ["host": "\(alert.host)", "reason": "\(error)"])
            }
        }
        let notifier = SystemdNotifier()
        let interval = settings.interval
        let reloadLogger = logger
        let configPath = config
        // The model named by the configuration now; `reload` (control socket) and SIGHUP both use it.
        let reload: @Sendable () -> Result<String, Error> = {
            notifier.reloading()
            defer { notifier.ready() }
            let modelPath = engine.modelPath
            do {
                let next = try DetectionModel.load(modelPath, sensorIntervalSeconds: interval)
                try engine.replaceModel(next, path: modelPath)
                reloadLogger.notice("model reloaded", metadata: ["model": "\(next.file.id)"])
                return .success(next.file.id)
            } catch {
                reloadLogger.error("reload refused; the running model stays", metadata: ["reason": "\(error)"])
                return .failure(error)
            }
        }
        // SIGHUP: the configuration file first (a bad one is refused and the running one stays), then the model.
        let reloadConfiguration: @Sendable () -> Void = {
            do {
                let next = try SensorConfiguration.load(configPath)
                let (domains, poolModel) = try Self.poolEvidence(next)
                Self.report(domains, logger: reloadLogger)
                let pending = engine.applyReloaded(next)
                engine.replacePoolEvidence(domains: domains, poolModel: poolModel, from: next)
                if !pending.isEmpty {
                    reloadLogger.warning("configuration changes wait for a restart",
                                         metadata: ["keys": "\(pending.joined(separator: "; "))"])
                }
            } catch {
                reloadLogger.error("configuration refused; the running one stays", metadata: ["reason": "\(error)"])
            }
        }
        let history: @Sendable (Date) throws -> [AlertRecord] = { since in
            try alerts.store.alerts(since: since).map(\.record)
        }
        let commands = ControlCommands(engine: engine, logger: logger, reload: reload, history: history)
        let control = try ControlService(configuration: settings, commands: commands)
        let capture = CaptureService(configuration: settings, engine: engine, logger: logger) { notifier.ready() }
        let status: @Sendable () -> String = {
            let snapshot = engine.snapshot()
            let rate = snapshot.interfaces.reduce(0) { $0 + $1.packetsPerSecond }
            let drops = snapshot.interfaces.reduce(UInt64(0)) {
                $0 + $1.statistics.kernelDropped + $1.statistics.interfaceDropped + $1.statistics.ringDropped
            }
            let mining = snapshot.hosts.filter { $0.isMining }.count
            let suspect = snapshot.hosts.filter { $0.level == .suspect }.count
            return "\(snapshot.hosts.count) hosts, \(mining) mining, \(suspect) suspect, \(Int(rate)) packets/s, "
                + "\(drops) dropped"
                + (snapshot.paused ? ", paused" : "")
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: control),
                    .init(service: capture),
                    .init(service: ReloadService {
                        reloadConfiguration()
                        _ = reload()
                        for problem in await alerts.reopenFiles() {
                            reloadLogger.error("cannot reopen an alert file", metadata: ["reason": "\(problem)"])
                        }
                    }),
                    .init(service: NotifyService(notifier: notifier, status: status)),
                ],
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
        let now = Date()
        let states = engine.snapshot().hosts.map {
            HostState(host: $0.host.description, verdict: $0.level?.rawValue ?? "clear",
                      score: $0.verdict.score, windows: $0.verdict.windows, updatedAt: now)
        }
        do {
            try alerts.store.saveHostStates(states)
        } catch {
            logger.error("host state not saved", metadata: ["reason": "\(error)"])
        }
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

    /// The pool-domain lists and the pool-connection model a configuration names, loaded and checked.
    private static func poolEvidence(_ settings: SensorConfiguration) throws -> (PoolDomainList, PoolShapeModel?) {
        let domains = try PoolDomainList(files: settings.poolDomainFiles)
        return (domains, try settings.poolModelPath.map { try PoolShapeModel.load($0) })
    }
}
