import BitcoinData
import ChainAnalysis
import Control
import Foundation

extension ChainSidecar {
    /// The sidecar's control socket: the same protocol and server as the sensor's (module `Control`), its own
    /// commands (`ChainRequest`). Each request runs on the sidecar actor.
    /// - Throws: `ControlError` when the socket cannot be bound.
    public nonisolated func controlServer(path: String, group: String? = nil) throws(ControlError) -> ControlServer {
        try ControlServer(path: path, group: group, router: controlRouter)
    }

    /// The router answering every sidecar command.
    public nonisolated var controlRouter: ControlRouter<ChainCommand> {
        var router = ControlRouter<ChainCommand>()
        router.on(ChainRequest.Status.self) { _, _ in try await self.statusReply() }
        router.on(ChainRequest.Address.self) { request, _ in try await self.addressReport(request.address) }
        router.on(ChainRequest.Patterns.self) { _, _ in await self.patternList() }
        router.on(ChainRequest.Watch.self) { request, _ in
            try await self.changeWatchlist(address: request.address, watch: true)
        }
        router.on(ChainRequest.Unwatch.self) { request, _ in
            try await self.changeWatchlist(address: request.address, watch: false)
        }
        router.on(ChainRequest.Watchlist.self) { _, _ in
            await WatchlistState(addresses: self.watchlist.addresses.sorted(), file: self.configuration.watchlistPath)
        }
        testbed.addRoutes(to: &router)
        return router
    }

    private func addressReport(_ address: String) async throws -> AddressReport {
        let history = try await store.addressHistory(address)
        guard let report = AddressReport.make(address: address, history: history, index: &index,
                                              classifier: classifier, patterns: patterns,
                                              watched: watchlist.addresses.contains(address)) else {
            throw ControlFailure("\(address) is not in the chain database", reason: .notFound)
        }
        if report.behaviourClass != nil { metrics.classified() }
        return report
    }

    private func patternList() -> PatternList {
        PatternList(patterns: patterns.map(PatternList.Pattern.init))
    }

    private func statusReply() async throws -> ChainStatus {
        var reply = ChainStatus(
            network: configuration.network.rawValue, watched: watchlist.addresses.count, alerts: alertCount,
            patterns: patterns.count, model: configuration.modelPath, intervalSeconds: configuration.intervalSeconds,
            status: statusLine,
            sinks: alerts.dispatcher.statistics.map {
                ChainStatus.Sink(name: $0.name, delivered: Int($0.delivered), dropped: Int($0.dropped),
                                 lastError: $0.lastError.map { "\($0)" })
            })
        // One read for both: a batch stored between two reads would pair a tip with a later batch's counts.
        let (tip, counts) = try await store.tipAndCounts()
        if let tip {
            reply.tipHeight = tip.height
            reply.tipHash = tip.hash.hex
            reply.blocks = counts.blocks
            reply.transactions = counts.transactions
            reply.addresses = counts.addresses
        }
        if let lastBlock, lastBlock.time > 0 {
            reply.lastBlockTime = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(lastBlock.time)))
        }
        if let lastCycle {
            reply.lastCycle = ISO8601DateFormatter().string(from: lastCycle.time)
            reply.lastBlocks = lastCycle.summary.written.blocks
        }
        reply.lastError = lastError
        return reply
    }

    /// Adds or removes a watched address, in memory and in the watchlist file (comments and other lines kept).
    private func changeWatchlist(address: String, watch: Bool) throws -> WatchChange {
        if watch {
            do {
                _ = try Destination(address: address, network: configuration.network)
            } catch {
                throw ControlFailure("\(address) is not a \(configuration.network) address: \(error)")
            }
        } else if !watchlist.addresses.contains(address) {
            throw ControlFailure("\(address) is not on the watchlist", reason: .notFound)
        }
        if let path = configuration.watchlistPath {
            var lines = FileManager.default.fileExists(atPath: path)
                ? try String(contentsOfFile: path, encoding: .utf8)
                    .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                : []
            if lines.last == "" { lines.removeLast() }
            if watch {
                if !watchlist.addresses.contains(address) { lines.append(address) }
            } else {
                lines.removeAll { Watchlist(text: $0).addresses == [address] }
            }
            try (lines.map { $0 + "\n" }.joined()).write(toFile: path, atomically: true, encoding: .utf8)
        }
        if watch { watchlist.add(address) } else { watchlist.remove(address) }
        logger.notice(watch ? "watching" : "unwatched", metadata: ["address": "\(address)"])
        return WatchChange(address: address, watched: watchlist.addresses.count)
    }
}
