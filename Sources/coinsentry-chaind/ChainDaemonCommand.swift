import ArgumentParser
import Control
import ChainSidecar
import DaemonSupport
import Foundation
import Logging
import ServiceLifecycle

/// `coinsentry-chaind`: the chain sidecar daemon. Ingests on a period, keeps address features, raises
/// watchlist alerts, finds recurring patterns, and answers on its control socket.
@main
struct ChainDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coinsentry-chaind",
        abstract: "CoinSentry chain sidecar: Bitcoin ingestion, behaviour classes, recurring patterns.",
        discussion: """
            Normally started by systemd (systemd/coinsentry-chaind.service, Type=notify): READY=1 once the store is \
            open, STATUS= with height, transactions, addresses and last block time, WATCHDOG=1 keep-alives.
            Signals: SIGTERM/SIGINT stop gracefully (the batch of blocks being stored is finished, queued alerts are \
            sent, the store closed); SIGHUP re-reads the configuration: watchlist, model, [alerts] sinks, \
            interval_seconds, sensor_id and pattern windows apply at once, store/source/socket changes wait for a \
            restart, and a file with a mistake is refused (logged) while the running configuration stays.
            Ask it with: coinsentryctl chain status | address ADDR | patterns | watch ADDR | unwatch ADDR | watchlist

            Examples:
              coinsentry-chaind --config /etc/coinsentry/chain.toml --check
              coinsentry-chaind --config chain.toml --once
            """,
        version: CoinSentryVersion.current)

    @Option(help: "Configuration file (TOML).")
    var config = "/etc/coinsentry/chain.toml"

    @Flag(help: "Check the configuration, print what would run, and exit.")
    var check = false

    @Flag(help: "Run one cycle and exit (no control socket); exit status 1 when the cycle failed.")
    var once = false

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "coinsentry-chaind")
        logger.logLevel = .info
        let settings: ChainSidecarConfiguration
        do {
            settings = try ChainSidecarConfiguration(path: config)
        } catch {
            FileHandle.standardError.write(Data("coinsentry-chaind: \(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG: systemd does not restart into the same mistake
        }
        if check {
            let source = settings.blocksDirectory.map { "block files \($0)" } ?? "RPC \(settings.rpcURL ?? "")"
            print("configuration \(config) is valid: \(settings.network) from \(source) into "
                  + "\(settings.postgres ?? settings.database); socket \(settings.controlSocket)")
            return
        }
        let sidecar = try await ChainSidecar(configuration: settings, logger: logger)
        if once {
            await sidecar.runCycle()
            await sidecar.close()
            if await sidecar.lastCycleFailed { throw ExitCode(1) }
            return
        }
        let notifier = SystemdNotifier()
        let control = try ChainControlService(sidecar: sidecar, path: settings.controlSocket)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: control)]
        if let served = settings.metrics {
            do throws(ListenSettings.Problem) {
                let metrics = sidecar.metrics
                services.append(.init(service: try MetricsEndpoint(settings: served) { metrics.exposition() }))
            } catch {
                FileHandle.standardError.write(Data("coinsentry-chaind: [metrics] \(error.key): \(error.message)\n".utf8))
                throw ExitCode(78)
            }
        }
        notifier.ready()
        let configPath = config
        let group = ServiceGroup(
            configuration: .init(
                services: services + [
                    .init(service: ChainCycleService(sidecar: sidecar)),
                    .init(service: ReloadService {
                        notifier.reloading()
                        await sidecar.reload(path: configPath)
                        notifier.ready()
                    }),
                    .init(service: NotifyService(notifier: notifier) { sidecar.statusLine }),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        logger.info("stopped")
    }
}
