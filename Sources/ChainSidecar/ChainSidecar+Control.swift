import BitcoinData
import ChainAnalysis
import Control
import Dispatch
import Foundation

extension ChainSidecar {
    /// The sidecar's control socket: the same JSON-lines protocol and server as the sensor's (module `Control`).
    /// Each request runs on the sidecar actor while the connection's own thread waits for the reply.
    /// - Throws: `ControlError` when the socket cannot be bound.
    public nonisolated func controlServer(path: String, group: String? = nil) throws -> ControlServer {
        try ControlServer(path: path, group: group) { [self] request, _ in
            let reply = ReplyBox()
            let done = DispatchSemaphore(value: 0)
            Task {
                reply.set(await self.handle(requestLine: Data(request.line.utf8)))
                done.signal()
            }
            done.wait()
            return (try? JSONValue.parse(reply.value)) ?? ControlProtocol.failure("the reply could not be encoded")
        }
    }
}

extension ChainSidecar {
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
                return try await statusReply()
            case "address":
                guard let address = request["address"] as? String else { return failure("address needs \"address\"") }
                guard let features = index.features(address) else {
                    return failure("\(address) is not in the chain database")
                }
                var reply: [String: Any] = ["ok": true, "address": address,
                                            "watched": watchlist.addresses.contains(address),
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
            case "watch", "unwatch":
                guard let address = request["address"] as? String else {
                    return failure("\(request["cmd"] as? String ?? "watch") needs \"address\"")
                }
                return try changeWatchlist(address: address, watch: request["cmd"] as? String == "watch")
            case "watchlist":
                return ["ok": true, "addresses": watchlist.addresses.sorted(),
                        "file": configuration.watchlistPath ?? NSNull()]
            case let other:
                return failure("unknown command \(other.map { "'\($0)'" } ?? "(no cmd)"); "
                               + "known: status, address, patterns, watch, unwatch, watchlist")
            }
        } catch {
            return failure("\(error)")
        }
    }

    private func statusReply() async throws -> [String: Any] {
        var reply: [String: Any] = ["ok": true, "network": configuration.network.rawValue,
                                    "watched": watchlist.addresses.count, "alerts": alertCount,
                                    "patterns": patterns.count, "model": configuration.modelPath ?? NSNull(),
                                    "interval_seconds": configuration.intervalSeconds, "status": statusLine]
        if let tip = try await store.tip() {
            reply["tip_height"] = tip.height
            reply["tip_hash"] = tip.hash.hex
            let counts = try await store.counts()
            reply["blocks"] = counts.blocks
            reply["transactions"] = counts.transactions
            reply["addresses"] = counts.addresses
        }
        if let lastBlock, lastBlock.time > 0 {
            reply["last_block_time"] = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970:
                                                                                    Double(lastBlock.time)))
        }
        if let lastCycle {
            reply["last_cycle"] = ISO8601DateFormatter().string(from: lastCycle.time)
            reply["last_blocks"] = lastCycle.summary.written.blocks
        }
        if let lastError { reply["last_error"] = lastError }
        reply["sinks"] = alerts.dispatcher.statistics.map { sink -> [String: Any] in
            ["name": sink.name, "delivered": sink.delivered, "dropped": sink.dropped,
             "last_error": sink.lastError.map { "\($0)" } ?? NSNull()]
        }
        return reply
    }

    /// Adds or removes a watched address, in memory and in the watchlist file (comments and other lines kept).
    private func changeWatchlist(address: String, watch: Bool) throws -> [String: Any] {
        if watch {
            do {
                _ = try Destination(address: address, network: configuration.network)
            } catch {
                return failure("\(address) is not a \(configuration.network) address: \(error)")
            }
        } else if !watchlist.addresses.contains(address) {
            return failure("\(address) is not on the watchlist")
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
        return ["ok": true, "address": address, "watched": watchlist.addresses.count]
    }

    func failure(_ message: String) -> [String: Any] { ["ok": false, "error": message] }
}

/// Carries one reply from the actor back to the waiting connection thread; the semaphore orders the accesses.
private final class ReplyBox: @unchecked Sendable {
    private(set) var value = Data()
    func set(_ data: Data) { value = data }
}
