import ChainStore
import Foundation

/// Addresses an operator cares about, read from a file of one address per line (`#` comments allowed).
public struct Watchlist: Sendable, Codable {
    /// The watched addresses.
    public private(set) var addresses: Set<String>

    /// Creates a watchlist.
    public init(addresses: Set<String> = []) { self.addresses = addresses }

    /// Parses the watchlist file format.
    public init(text: String) {
        addresses = Set(text.split(separator: "\n").compactMap { line in
            let trimmed = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        })
    }

    /// Adds an address.
    public mutating func add(_ address: String) { addresses.insert(address) }

    /// Removes an address.
    public mutating func remove(_ address: String) { addresses.remove(address) }
}

/// An alert in the sensor's alert schema (time, sensor id, host, verdict, score, windows voted, model id, evidence,
/// action taken); for the chain sidecar the "host" is the watched address.
public struct ChainAlert: Codable, Sendable, Equatable {
    public var time: Int
    public var sensorId: String
    public var host: String
    public var verdict: String
    public var score: Double
    public var windowsVoted: Int
    public var modelId: String?
    public var evidence: [String: String]
    public var actionTaken: String

    enum CodingKeys: String, CodingKey {
        case time, host, verdict, score, evidence
        case sensorId = "sensor_id", windowsVoted = "windows_voted", modelId = "model_id", actionTaken = "action_taken"
    }
}

/// Turns new blocks into watchlist alerts: new activity of a watched address, and a change of its behaviour class.
public struct WatchlistMonitor: Sendable, Codable {
    /// The watchlist.
    public var watchlist: Watchlist
    /// Last class reported per address.
    public private(set) var lastClass: [String: String] = [:]
    /// Highest height already examined.
    public private(set) var checkedHeight: Int

    /// Starts monitoring after `height` (blocks up to it are not reported).
    public init(watchlist: Watchlist, after height: Int) {
        self.watchlist = watchlist
        checkedHeight = height
    }

    /// After a reorg rolled the store back to `height`: the blocks that replace the ones above it are examined when
    /// they arrive, even where an alert was raised for the block they replace at the same height.
    public mutating func rewind(to height: Int) { checkedHeight = min(checkedHeight, height) }

    /// Alerts for blocks above ``checkedHeight`` up to the store's tip.
    ///
    /// - Parameter classify: the behaviour class and confidence of an address, nil without a model.
    public mutating func check(store: any ChainDatabase, sensorId: String, modelId: String?,
                               classify: (String) -> (label: String, confidence: Double)?) async throws
        -> [ChainAlert] {
        guard let tip = try await store.tip(), tip.height > checkedHeight else { return [] }
        var alerts = [ChainAlert]()
        var active = Set<String>()
        for flow in try await store.flows(heights: (checkedHeight + 1)...tip.height) {
            let touched = Set(flow.inputs.compactMap(\.address) + flow.outputs.compactMap(\.address))
            for address in touched.intersection(watchlist.addresses) {
                active.insert(address)
                let received = flow.outputs.filter { $0.address == address }.reduce(Int64(0)) { $0 + $1.value }
                let sent = flow.inputs.filter { $0.address == address }.reduce(Int64(0)) { $0 + ($1.value ?? 0) }
                alerts.append(ChainAlert(time: flow.time, sensorId: sensorId, host: address, verdict: "activity",
                                         score: 1, windowsVoted: 0, modelId: modelId,
                                         evidence: ["txid": flow.txid.hex, "height": String(flow.height),
                                                    "received_sat": String(received), "sent_sat": String(sent)],
                                         actionTaken: "none"))
            }
        }
        let now = Int(Date().timeIntervalSince1970)
        for address in active.sorted() {
            guard let (label, confidence) = classify(address) else { continue }
            if let previous = lastClass[address], previous != label {
                alerts.append(ChainAlert(time: now, sensorId: sensorId, host: address, verdict: "class:\(label)",
                                         score: confidence, windowsVoted: 0, modelId: modelId,
                                         evidence: ["previous_class": previous], actionTaken: "none"))
            }
            lastClass[address] = label
        }
        checkedHeight = tip.height
        return alerts
    }
}
