import Appliance
import ArgumentParser
import Control
import Foundation
import Logging

/// `coinsentryd`: the sensor daemon. Parses its arguments and runs `Appliance`'s `SensorDaemon`.
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
        let daemon: SensorDaemon
        do throws(StartupProblem) {
            let setup = try SensorSetup(configurationPath: config)
            setup.reportSkippedLines(to: logger)
            if check {
                print(setup.summary)
                return
            }
            daemon = try SensorDaemon(setup: setup, logger: logger)
        } catch {
            for line in error.description.split(separator: "\n") {
                FileHandle.standardError.write(Data("coinsentryd: \(line)\n".utf8))
            }
            throw ExitCode(78)  // EX_CONFIG: systemd does not restart into the same mistake
        }
        try await daemon.run()
    }
}
