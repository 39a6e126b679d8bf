import BitcoinData
import ChainAnalysis
import ChainIngest
import ChainStore
import ChainStorePostgres
import Foundation
import Logging

/// The chain sidecar's state and work: periodic ingestion, incremental address features, watchlist alerts,
/// recurring patterns, and the answers to control requests.
public actor ChainSidecar {
    private let configuration: ChainSidecarConfiguration
    private let store: any ChainDatabase
    /// Makes the source for a cycle: block files are indexed anew each cycle, since the node keeps appending.
    private let makeSource: @Sendable () throws -> any BlockSource
    private let logger: Logger
    private var index: AddressFeatureIndex
    private var classifier: AddressClassifier?
    private var monitor: WatchlistMonitor?
    private var watchlist: Watchlist
    private var patterns: [RecurringPatternDetector.Pattern] = []
    /// Tip height the patterns were computed at.
    private var patternsHeight: Int?
    private var lastCycle: (time: Date, summary: IngestSummary)?
    private var lastError: String?
    private var alertCount = 0

    /// Opens the store and the source named by `configuration`, loading the model and watchlist if configured.
    public init(configuration: ChainSidecarConfiguration, logger: Logger) async throws {
        self.configuration = configuration
        self.logger = logger
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
        watchlist = Watchlist()
        if let path = configuration.watchlistPath, let text = try? String(contentsOfFile: path, encoding: .utf8) {
            watchlist = Watchlist(text: text)
        }
        index = try await AddressFeatureIndex.loadSynchronised(store: store)
        // The monitor's position survives restarts; without one, history before the first cycle is not alerted.
        if let data = try await store.analysisState("watchlist-monitor"),
           var saved = try? JSONDecoder().decode(WatchlistMonitor.self, from: data) {
            saved.watchlist = watchlist
            monitor = saved
        }
    }

    /// One cycle: ingest to the source's tip, update features, emit watchlist alerts, refresh patterns.
    /// Errors are logged and kept for `status`; the next cycle tries again.
    public func runCycle() async {
        do {
            let started = Date()
            let summary = try await ChainIngestor(store: store, source: try makeSource()).run()
            if summary.rolledBackBlocks > 0 {
                logger.warning("reorg", metadata: ["rolled_back": "\(summary.rolledBackBlocks)"])
            }
            // Actor state cannot be mutated across an await: synchronise a copy, then store it back.
            var index = self.index
            try await index.synchronise(with: store)
            self.index = index
            let classifier = self.classifier
            let baseline = try await store.tip()?.height ?? -1
            var monitor = self.monitor ?? WatchlistMonitor(watchlist: watchlist, after: baseline)
            monitor.watchlist = watchlist
            let alerts = try await monitor.check(store: store, sensorId: configuration.sensorId,
                                                 modelId: classifier.map { _ in configuration.modelPath ?? "" }) {
                address in
                guard let classifier, let result = classifier.classify([address], index: &index).first,
                      let label = result.label, let confidence = result.confidence else { return nil }
                return (label, confidence)
            }
            self.monitor = monitor
            try await store.saveAnalysisState("watchlist-monitor", value: try JSONEncoder().encode(monitor))
            try emit(alerts)
            if let tip = try await store.tip(), tip.height != patternsHeight || summary.rolledBackBlocks > 0 {
                let low = max(try await store.lowestHeight() ?? 0,
                              tip.height - configuration.patternWindowBlocks * configuration.patternWindows + 1)
                var options = RecurringPatternDetector.Options()
                options.windowBlocks = configuration.patternWindowBlocks
                patterns = try await RecurringPatternDetector(options: options)
                    .detect(store: store, heights: low...tip.height)
                patternsHeight = tip.height
            }
            if summary.written.blocks > 0 {
                try await store.saveAnalysisState("address-features", value: try JSONEncoder().encode(self.index))
            }
            lastCycle = (started, summary)
            lastError = nil
            logger.info("cycle", metadata: ["blocks": "\(summary.written.blocks)", "tip": "\(summary.tipHeight ?? -1)",
                                            "tx_per_s": "\(Int(summary.transactionsPerSecond))"])
        } catch {
            lastError = "\(error)"
            logger.error("cycle failed", metadata: ["error": "\(error)"])
        }
    }

    private func emit(_ alerts: [ChainAlert]) throws {
        guard !alerts.isEmpty else { return }
        alertCount += alerts.count
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var text = ""
        for alert in alerts { text += String(decoding: try encoder.encode(alert), as: UTF8.self) + "\n" }
        guard let path = configuration.alertsPath else {
            for alert in alerts {
                logger.notice("alert", metadata: ["host": "\(alert.host)", "verdict": "\(alert.verdict)"])
            }
            return
        }
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw IngestError("cannot create the alert file \(path)")
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// Answers one control request line (a JSON object `{"cmd": ...}`) with one reply line (`{"ok": true, ...}` or
    /// `{"ok": false, "error": "..."}`), without the trailing newline.
    public func handle(requestLine: Data) async -> Data {
        let reply: [String: Any]
        if let request = (try? JSONSerialization.jsonObject(with: requestLine)) as? [String: Any] {
            reply = await handle(request)
        } else {
            reply = failure("a request is one JSON object per line")
        }
        return (try? JSONSerialization.data(withJSONObject: reply, options: [.sortedKeys]))
            ?? Data(#"{"error":"reply could not be encoded","ok":false}"#.utf8)
    }

    func handle(_ request: [String: Any]) async -> [String: Any] {
        do {
            switch request["cmd"] as? String {
            case "status":
                var reply: [String: Any] = ["ok": true, "network": configuration.network.rawValue,
                                            "watched": watchlist.addresses.count, "alerts": alertCount,
                                            "patterns": patterns.count, "model": configuration.modelPath ?? NSNull()]
                if let tip = try await store.tip() {
                    reply["tip_height"] = tip.height
                    reply["tip_hash"] = tip.hash.hex
                }
                if let lastCycle {
                    reply["last_cycle"] = ISO8601DateFormatter().string(from: lastCycle.time)
                    reply["last_blocks"] = lastCycle.summary.written.blocks
                }
                if let lastError { reply["last_error"] = lastError }
                return reply
            case "address":
                guard let address = request["address"] as? String else { return failure("address needs \"address\"") }
                guard let features = index.features(address) else {
                    return failure("\(address) is not in the chain database")
                }
                var reply: [String: Any] = ["ok": true, "address": address,
                                            "features": Dictionary(uniqueKeysWithValues: zip(AddressFeatures.names,
                                                                                             features))]
                if let classifier, let result = classifier.classify([address], index: &index).first {
                    reply["class"] = result.label
                    reply["confidence"] = result.confidence
                    reply["probabilities"] = result.probabilities
                }
                return reply
            case "patterns":
                return ["ok": true, "patterns": patterns.map { pattern -> [String: Any] in
                    ["members": pattern.members, "occurrences": pattern.occurrences, "first_seen": pattern.firstSeen,
                     "last_seen": pattern.lastSeen]
                }]
            case "watch":
                guard let address = request["address"] as? String else { return failure("watch needs \"address\"") }
                do {
                    _ = try Destination(address: address, network: configuration.network)
                } catch {
                    return failure("\(address) is not a \(configuration.network) address: \(error)")
                }
                watchlist.add(address)
                if let path = configuration.watchlistPath {
                    let line = Data((address + "\n").utf8)
                    if let handle = FileHandle(forWritingAtPath: path) {
                        defer { try? handle.close() }
                        _ = try? handle.seekToEnd()
                        try handle.write(contentsOf: line)
                    } else {
                        try line.write(to: URL(fileURLWithPath: path))
                    }
                }
                return ["ok": true, "watched": watchlist.addresses.count]
            case let other:
                return failure("unknown command \(other.map { "'\($0)'" } ?? "(no cmd)"); "
                               + "known: status, address, patterns, watch")
            }
        } catch {
            return failure("\(error)")
        }
    }

    private func failure(_ message: String) -> [String: Any] { ["ok": false, "error": message] }
}
