import Alerting
import Appliance
import ArgumentParser
import Control
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
        let openAlerts: [HostAddress: EpisodeTracker.Episode]
        let blocks: [InlineBlock], allowed: [AllowedHost], benign: [BenignMark]
        do {
            alerts = try AlertOutputs.pipeline(for: settings)
            // Episodes open before the restart count as quiet from now: one whose host comes back with a rule holding
            // goes on (no new alert); one whose host is gone ends after the hold period (reason host-quiet).
            let restarted = Date().timeIntervalSince1970
            openAlerts = Dictionary(try alerts.store.openAlerts(kind: .mining).compactMap { stored in
                HostAddress(stored.record.host).map {
                    var episode = EpisodeTracker.Episode(level: stored.record.event == .suspect ? .suspect : .mining,
                                                         raisedAt: stored.record.time.timeIntervalSince1970)
                    episode.quietSince = restarted
                    episode.clearReason = .hostQuiet
                    return ($0, episode)
                }
            }, uniquingKeysWith: { first, _ in first })
            blocks = try alerts.store.blocks()
            allowed = try alerts.store.allowlist()
            benign = try alerts.store.benignMarks()
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
                                      allowed: allowed, benign: benign, store: storeInline) { alert in
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
        do {
            let (restored, skipped) = engine.restoreEvidence(try alerts.store.hostEvidence())
            let votes = engine.restoreVotes(try alerts.store.hostStates())
            if restored + skipped + votes > 0 {
                logger.info("state restored", metadata: ["evidence": "\(restored)", "skipped": "\(skipped)",
                                                         "votes": "\(votes)"])
            }
        } catch {
            logger.error("evidence not restored", metadata: ["reason": "\(error)"])
        }
        let notifier = SystemdNotifier()
        let reloader = SensorReload(configurationPath: config, engine: engine, logger: logger)
        // SIGHUP and `coinsentryctl reload` do the same: configuration, lists and models, all checked before any is used.
        let reload: @Sendable (String) -> Result<ReloadReport, Error> = { requester in
            notifier.reloading()
            defer { notifier.ready() }
            return reloader.perform(requestedBy: requester)
        }
        let reloadLogger = logger
        let commands = ControlCommands(engine: engine, logger: logger, reload: reload, store: alerts.store)
        let control: ControlService
        do {
            control = try ControlService(configuration: settings, commands: commands)
        } catch {
            FileHandle.standardError.write(Data("coinsentryd: control.socket: \(error)\n".utf8))
            throw ExitCode(78)
        }
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
                        _ = reload("SIGHUP")
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
        let snapshot = engine.snapshot()
        let length = snapshot.model.file.vote.length
        let states = snapshot.hosts.map {
            HostState(host: $0.host.description, verdict: $0.level?.rawValue ?? "clear",
                      score: $0.verdict.score, windows: $0.verdict.windows, updatedAt: now,
                      decisions: Array($0.recentDecisions.suffix(length)))
        }
        do {
            try alerts.store.saveHostStates(states)
            try alerts.store.saveHostEvidence(engine.heldEvidence())
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

    /// Runs a load, naming the configuration key it serves in its error.
    private static func keyed<T>(_ key: String, _ load: () throws -> T) throws -> T {
        do {
            return try load()
        } catch {
            throw ConfigurationError(file: "configuration", key: key, "\(error)")
        }
    }
}
