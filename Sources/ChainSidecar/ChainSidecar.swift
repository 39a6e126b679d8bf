import Alerting
import BitcoinData
import ChainAnalysis
import ChainIngest
import ChainStore
import ChainStorePostgres
import Foundation
import Logging
import Synchronization

/// The chain sidecar's state and work: periodic ingestion, incremental address features, watchlist alerts,
/// recurring patterns, and the answers to control requests.
public actor ChainSidecar {
    /// The running configuration: reloads replace what applies live (see ``reload(path:)``).
    var configuration: ChainSidecarConfiguration
    let store: any ChainDatabase
    /// Makes the source for a cycle: block files are indexed anew each cycle, since the node keeps appending.
    private let makeSource: @Sendable () throws -> any BlockSource
    let logger: Logger
    var index: AddressFeatureIndex
    var classifier: AddressClassifier?
    private var monitor: WatchlistMonitor?
    var watchlist: Watchlist { didSet { metrics.watching(watchlist.addresses.count) } }
    var alerts: ChainAlertOutputs { didSet { metrics.deliveries(from: alerts.dispatcher) } }
    var patterns: [RecurringPatternDetector.Pattern] = []
    /// Tip height the patterns were computed at.
    private var patternsHeight: Int?
    var lastCycle: (time: Date, summary: IngestSummary)?
    var lastError: String?
    var alertCount = 0
    var lastBlock: (height: Int, time: Int)?
    /// The figures `/metrics` serves.
    public nonisolated let metrics = ChainMetrics()
    /// Labelled regtest chains made on request (`[testbed]`), and models trained on them.
    public nonisolated let testbed: TestbedRuns
    /// Set by ``requestStop()``: ingestion ends after the batch (one database transaction) in progress.
    private nonisolated let stopRequested = Atomic<Bool>(false)
    /// The one-line state for systemd's `STATUS=`, refreshed after every cycle.
    private nonisolated let status = Mutex<String>("starting")

    /// Opens the store, the source and the alert sinks named by `configuration`, loading the model and watchlist
    /// if configured.
    public init(configuration: ChainSidecarConfiguration, logger: Logger) async throws {
        self.configuration = configuration
        self.logger = logger
        testbed = TestbedRuns(scenarios: configuration.testbedScenarios, directory: configuration.testbedDirectory,
                              maximumBlocks: configuration.testbedMaximumBlocks, logger: logger)
        alerts = try ChainAlertOutputs(configuration: configuration)
        if let postgres = configuration.postgres {
            store = try await PostgresChainStore(configuration: try PostgresChainStore.configuration(url: postgres),
                                                 network: configuration.network)
        } else {
            store = try ChainStore(path: configuration.database, network: configuration.network)
        }
        if let blocks = configuration.blocksDirectory {
            let network = configuration.network
            makeSource = { try BlockFileSource(reader: BlockFileReader(directory: blocks, network: network)) }
        } else {
            guard let text = configuration.rpcURL, let url = URL(string: text) else {
                throw IngestError("[source] rpc '\(configuration.rpcURL ?? "")' is not a URL")
            }
            let credentials: BitcoinRPCClient.Credentials
            if let cookie = configuration.cookieFile {
                credentials = .cookieFile(cookie)
            } else if let user = configuration.rpcUser, let password = configuration.rpcPassword {
                credentials = .userPassword(user, password)
            } else {
                credentials = .none
            }
            let source = RPCBlockSource(client: BitcoinRPCClient(url: url, credentials: credentials))
            makeSource = { source }
        }
        classifier = try configuration.modelPath.map { try AddressClassifier.load(path: $0) }
        watchlist = try Self.loadWatchlist(path: configuration.watchlistPath)
        index = try await AddressFeatureIndex.loadSynchronised(store: store)
        // The monitor's position survives restarts; without one, history before the first cycle is not alerted.
        if let data = try await store.analysisState("watchlist-monitor"),
           var saved = try? JSONDecoder().decode(WatchlistMonitor.self, from: data) {
            saved.watchlist = watchlist
            monitor = saved
        }
        metrics.watching(watchlist.addresses.count)
        metrics.deliveries(from: alerts.dispatcher)
    }

    /// The watchlist file's addresses; a file that does not exist yet is an empty list (`watch` creates it).
    static func loadWatchlist(path: String?) throws -> Watchlist {
        guard let path, FileManager.default.fileExists(atPath: path) else { return Watchlist() }
        do {
            return Watchlist(text: try String(contentsOfFile: path, encoding: .utf8))
        } catch {
            throw IngestError("[analysis] watchlist: cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// Whether the last cycle ended on an error (kept for `status` as `last_error`).
    public var lastCycleFailed: Bool { lastError != nil }

    /// The period between cycles, in seconds.
    public var intervalSeconds: Double { configuration.intervalSeconds }

    /// The one-line state systemd shows (`STATUS=`): height, transactions, addresses, last block time.
    public nonisolated var statusLine: String { status.withLock { $0 } }

    /// Asks a running cycle to stop after the batch it is storing; later cycles store nothing.
    public nonisolated func requestStop() { stopRequested.store(true, ordering: .relaxed) }

    /// Hands queued alerts to their sinks and closes the store's connections (PostgreSQL). SQLite needs no closing:
    /// every batch is its own committed transaction, so nothing is in flight once the cycle has returned.
    public func close() async {
        requestStop()
        await alerts.shutdown()
        (store as? PostgresChainStore)?.shutdown()
    }

    /// One cycle: ingest to the source's tip, update features, emit watchlist alerts, refresh patterns.
    /// Errors are logged and kept for `status`; the next cycle tries again.
    public func runCycle() async {
        let clock = ContinuousClock.now
        do {
            let started = Date()
            let heightBefore = try await store.tip()?.height
            let summary = try await ingest()
            if summary.rolledBackBlocks > 0, let heightBefore {
                let forkHeight = heightBefore - summary.rolledBackBlocks
                logger.warning("reorg", metadata: ["rolled_back": "\(summary.rolledBackBlocks)",
                                                   "fork_height": "\(forkHeight)"])
                monitor?.rewind(to: forkHeight)
            }
            // Actor state cannot be mutated across an await: synchronise a copy, then store it back.
            var index = self.index
            try await index.synchronise(with: store)
            self.index = index
            let classifier = self.classifier
            let metrics = self.metrics
            let baseline = try await store.tip()?.height ?? -1
            var monitor = self.monitor ?? WatchlistMonitor(watchlist: watchlist, after: baseline)
            monitor.watchlist = watchlist
            let alerts = try await monitor.check(store: store, sensorId: configuration.sensorId,
                                                 modelId: classifier.map { _ in configuration.modelPath ?? "" }) {
                address in
                guard let classifier else { return nil }
                metrics.classified()
                guard let result = classifier.classify([address], index: &index).first,
                      let label = result.label, let confidence = result.confidence else { return nil }
                return (label, confidence)
            }
            // The monitor's position is saved before the alerts go out, so a restart never raises them again.
            self.monitor = monitor
            try await store.saveAnalysisState("watchlist-monitor", value: try JSONEncoder().encode(monitor))
            emit(alerts)
            if let tip = try await store.tip(), tip.height != patternsHeight || summary.rolledBackBlocks > 0 {
                let low = max(try await store.lowestHeight() ?? 0,
                              tip.height - configuration.patternWindowBlocks * configuration.patternWindows + 1)
                var options = RecurringPatternDetector.Options()
                options.windowBlocks = configuration.patternWindowBlocks
                patterns = try await RecurringPatternDetector(options: options)
                    .detect(store: store, heights: low...tip.height)
                patternsHeight = tip.height
                metrics.patternsDetected(patterns.count)
            }
            if summary.written.blocks > 0 {
                try await store.saveAnalysisState("address-features", value: try JSONEncoder().encode(self.index))
            }
            lastCycle = (started, summary)
            lastError = nil
            metrics.cycle(summary, duration: ContinuousClock.now - clock)
            logger.info("cycle", metadata: ["blocks": "\(summary.written.blocks)", "tip": "\(summary.tipHeight ?? -1)",
                                            "tx_per_s": "\(Int(summary.transactionsPerSecond))"])
        } catch {
            lastError = "\(error)"
            logger.error("cycle failed", metadata: ["error": "\(error)"])
            metrics.cycle(nil, duration: ContinuousClock.now - clock)
        }
        await refreshStatus()
    }

    /// Ingests to the source's tip one batch at a time, so that a stop request takes effect between batches.
    /// A block that cannot be decoded or checked stops the cycle; the blocks before it are stored.
    private func ingest() async throws -> IngestSummary {
        let started = Date()
        let source: any BlockSource
        do {
            source = try makeSource()
        } catch {
            throw IngestError("cannot read the source, nothing stored this cycle: \(error)")
        }
        let ingestor = ChainIngestor(store: store, source: source)
        var summary = IngestSummary()
        summary.tipHeight = try await store.tip()?.height
        while !stopRequested.load(ordering: .relaxed) {
            let step: IngestSummary
            do {
                step = try await ingestor.run(maximumBlocks: ingestor.batchSize)
            } catch {
                throw IngestError("ingestion stopped: \(error)")
            }
            summary.rolledBackBlocks += step.rolledBackBlocks
            summary.written.add(step.written)
            summary.fromHeight = summary.fromHeight ?? step.fromHeight
            summary.tipHeight = step.tipHeight
            if step.written.blocks < ingestor.batchSize { break }
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    private func refreshStatus() async {
        do {
            let (tip, counts) = try await store.tipAndCounts()
            guard let tip else {
                status.withLock { $0 = "no blocks yet" + (lastError.map { ", last cycle failed: \($0)" } ?? "") }
                return
            }
            if lastBlock?.height != tip.height {
                let time = try await store.flows(heights: tip.height...tip.height).first?.time ?? 0
                lastBlock = (tip.height, time)
            }
            let blockTime = ISO8601DateFormatter()
                .string(from: Date(timeIntervalSince1970: Double(lastBlock?.time ?? 0)))
            let line = "height \(tip.height), \(counts.transactions) transactions, \(counts.addresses) addresses, "
                + "last block \(blockTime), \(watchlist.addresses.count) watched, \(alertCount) alerts"
                + (lastError != nil ? ", last cycle failed" : "")
            status.withLock { $0 = line }
        } catch {
            status.withLock { $0 = "store unreadable: \(error)" }
        }
    }

    private func emit(_ chainAlerts: [ChainAlert]) {
        guard !chainAlerts.isEmpty else { return }
        alertCount += chainAlerts.count
        metrics.raised(chainAlerts.count)
        let records = chainAlerts.map(AlertRecord.init)
        for record in records {
            logger.notice("alert", metadata: ["host": "\(record.host)", "verdict": "\(record.verdict)",
                                              "score": "\(record.score)"])
        }
        alerts.publish(records)
    }
}
