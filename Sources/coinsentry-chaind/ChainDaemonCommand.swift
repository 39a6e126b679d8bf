import ArgumentParser
import ChainSidecar
import Foundation
import Logging

/// `coinsentry-chaind`: the chain sidecar daemon (issue 6). Ingests on a period, keeps address features, raises
/// watchlist alerts, finds recurring patterns, and answers on its control socket.
@main
struct ChainDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coinsentry-chaind",
        abstract: "CoinSentry chain sidecar: Bitcoin ingestion, behaviour classes, recurring patterns.")

    @Option(help: "Configuration file (TOML).")
    var config = "/etc/coinsentry/chain.toml"

    @Flag(help: "Run one cycle and exit (no control socket).")
    var once = false

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "coinsentry-chaind")
        let configuration = try ChainSidecarConfiguration(path: config)
        let sidecar = try await ChainSidecar(configuration: configuration, logger: logger)
        if once {
            await sidecar.runCycle()
            return
        }
        let server = try sidecar.controlServer(path: configuration.controlSocket)
        server.start()
        logger.info("started", metadata: ["socket": "\(configuration.controlSocket)"])
        let worker = Task {
            while !Task.isCancelled {
                await sidecar.runCycle()
                try? await Task.sleep(for: .seconds(configuration.intervalSeconds))
            }
        }
        // SIGTERM/SIGINT end the loop; the socket file is removed on the way out.
        for sig in [SIGTERM, SIGINT] { signal(sig, SIG_IGN) }
        let (signals, continuation) = AsyncStream<Int32>.makeStream()
        let sources = [SIGTERM, SIGINT].map { sig in
            let source = DispatchSource.makeSignalSource(signal: sig)
            source.setEventHandler { continuation.yield(sig) }
            source.resume()
            return source
        }
        for await sig in signals {
            logger.info("stopping", metadata: ["signal": "\(sig)"])
            break
        }
        sources.forEach { $0.cancel() }
        worker.cancel()
        server.stop()
    }
}
