import ChainAnalysis
import Foundation
import Logging

extension ChainSidecar {
    /// Re-reads chain.toml (SIGHUP): the watchlist, the model, the alert sinks, the period, the sensor id and the
    /// pattern windows apply at once; store, source, network, socket and testbed changes are logged as waiting for a
    /// restart.
    ///
    /// Everything is checked before anything changes: a file that does not parse, a watchlist or model that cannot be
    /// read or a sink that cannot be opened refuses the whole reload, logged, and the running configuration stays.
    /// - Returns: the refusal, if any.
    @discardableResult
    public func reload(path: String) async -> (any Error)? {
        let next: ChainSidecarConfiguration
        let nextWatchlist: Watchlist
        let nextClassifier: AddressClassifier?
        let nextAlerts: ChainAlertOutputs
        do {
            next = try ChainSidecarConfiguration(path: path)
            nextWatchlist = try Self.loadWatchlist(path: next.watchlistPath)
            nextClassifier = try next.modelPath.map { try AddressClassifier.load(path: $0) }
            nextAlerts = try ChainAlertOutputs(configuration: next)
        } catch {
            logger.error("configuration refused; the running one stays", metadata: ["reason": "\(error)"])
            return error
        }
        let waiting = next.restartOnlyChanges(from: configuration)
        var applied = next
        applied.database = configuration.database
        applied.postgres = configuration.postgres
        applied.network = configuration.network
        applied.blocksDirectory = configuration.blocksDirectory
        applied.rpcURL = configuration.rpcURL
        applied.cookieFile = configuration.cookieFile
        applied.rpcUser = configuration.rpcUser
        applied.rpcPassword = configuration.rpcPassword
        applied.controlSocket = configuration.controlSocket
        applied.testbedScenarios = configuration.testbedScenarios
        applied.testbedDirectory = configuration.testbedDirectory
        applied.testbedMaximumBlocks = configuration.testbedMaximumBlocks
        let previousAlerts = alerts
        configuration = applied
        watchlist = nextWatchlist
        classifier = nextClassifier
        alerts = nextAlerts
        await previousAlerts.shutdown()
        if !waiting.isEmpty {
            logger.warning("configuration changes wait for a restart",
                           metadata: ["keys": "\(waiting.joined(separator: ", "))"])
        }
        logger.notice("configuration reloaded", metadata: ["watched": "\(watchlist.addresses.count)",
                                                           "interval_seconds": "\(configuration.intervalSeconds)",
                                                           "sinks": "\(alerts.dispatcher.sinks.map(\.name))"])
        return nil
    }
}
