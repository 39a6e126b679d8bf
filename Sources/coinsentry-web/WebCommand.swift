import ArgumentParser
import Control
import DaemonSupport
import Foundation
import Logging
import Web

/// `coinsentry-web`: the web console and REST API over the sensor's and the chain sidecar's control sockets.
@main
struct WebCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coinsentry-web",
        abstract: "CoinSentry web console and REST API (/api/v1) over coinsentryd and coinsentry-chaind.",
        discussion: """
            Reads both daemons through their control sockets (it needs their group and nothing else); a daemon \
            that is not running makes its pages say so. Serves on 127.0.0.1:8810 by default; bound anywhere else it \
            needs TLS (tls_certificate, tls_key) and a token (token_file, mode 0600), and start-up refuses otherwise. \
            Changes (acknowledging alerts, pausing, the watchlist) always need the token: scripts send \
            Authorization: Bearer TOKEN, pages log in once and hold a session cookie. The API is described in \
            openapi.json, served at /api/v1/openapi.json (docs/web.md).
            Normally started by systemd (systemd/coinsentry-web.service, Type=notify).

            Examples:
              coinsentry-web --config /etc/coinsentry/web.toml --check
              coinsentry-web --config etc/coinsentry/web.toml --assets web --vendor /usr/share/javascript
              curl -s http://127.0.0.1:8810/api/v1/sensor/hosts?level=mining
            """,
        version: CoinSentryVersion.current)

    @Option(help: "Configuration file (TOML).")
    var config = "/etc/coinsentry/web.toml"

    @Option(help: "The console's folder (pages, scripts, openapi.json), instead of [web] assets.")
    var assets: String?

    @Option(help: "Debian's JavaScript folder (Bootstrap 5, Chart.js), instead of [web] vendor.")
    var vendor: String?

    @Option(help: "HOST:PORT to listen on, instead of [web] listen.")
    var listen: String?

    @Flag(help: "Check the configuration, print what would run, and exit.")
    var check = false

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "coinsentry-web")
        logger.logLevel = .info
        let console: WebConsole
        do {
            var settings = try WebSettings(path: config)
            if let assets { settings.assets = assets }
            if let vendor { settings.vendor = vendor }
            if let listen {
                let current = settings.listen
                guard let parsed = try ListenSettings.parse(
                    listen: listen, certificate: current.certificate, privateKey: current.privateKey,
                    tokenFile: current.tokenFile, fallback: WebSettings.defaultListen, table: "web") else {
                    throw ConfigurationProblem(description: "--listen: give HOST:PORT")
                }
                settings.listen = parsed
            }
            console = try WebConsole(settings: settings)
        } catch let problem as ListenSettings.Problem {
            FileHandle.standardError.write(Data("coinsentry-web: \(config): [web] \(problem.key): \(problem.message)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG: systemd does not restart into the same mistake
        } catch {
            FileHandle.standardError.write(Data("coinsentry-web: \(error)\n".utf8))
            throw ExitCode(78)
        }
        let settings = console.settings
        let scheme = settings.listen.certificate == nil ? "http" : "https"
        if check {
            print("configuration \(config) is valid: \(scheme)://\(settings.listen.host):\(settings.listen.port)/, "
                  + "assets \(settings.assets), sensor \(settings.sensorSocket), chain \(settings.chainSocket), "
                  + (settings.listen.tokenFile == nil ? "no token (read-only)" : "token from \(settings.listen.tokenFile!)"))
            return
        }
        let notifier = SystemdNotifier()
        let announcer = logger
        let app = try console.application(logger: logger) { port in
            announcer.info("serving \(scheme)://\(settings.listen.host):\(port)/")
            notifier.ready()
        }
        try await app.runService()
    }
}
