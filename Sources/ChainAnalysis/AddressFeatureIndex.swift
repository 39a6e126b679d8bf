import BitcoinData
import ChainStore
import Foundation

/// Per-address features kept up to date incrementally: each new block's transactions update only the addresses
/// they touch, and co-spending clusters (the multi-input heuristic: addresses spent together in one transaction
/// belong to one owner) are merged with a union-find.
///
/// The index remembers the height and hash it is synchronised to. After a reorg below that height it is rebuilt
/// from the store, since running aggregates cannot be un-applied exactly.
public struct AddressFeatureIndex: Codable, Sendable {
    /// Aggregates by address.
    public private(set) var accumulators: [String: AddressAccumulator] = [:]
    /// Union-find parent by address (absent: its own root).
    private var parent: [String: String] = [:]
    /// Cluster size by root address.
    private var size: [String: Int] = [:]
    /// Height of the last applied block (-1 when none).
    public private(set) var height = -1
    /// Hash of the last applied block.
    public private(set) var tipHash: String?

    /// An empty index.
    public init() {}

    private mutating func root(_ address: String) -> String {
        var node = address
        var path = [String]()
        while let next = parent[node], next != node {
            path.append(node)
            node = next
        }
        for item in path { parent[item] = node }
        return node
    }

    private mutating func union(_ a: String, _ b: String) {
        let (ra, rb) = (root(a), root(b))
        guard ra != rb else { return }
        let (sa, sb) = (size[ra] ?? 1, size[rb] ?? 1)
        let (big, small) = sa >= sb ? (ra, rb) : (rb, ra)
        parent[small] = big
        size[big] = sa + sb
        size[small] = nil
    }

    /// Size of the co-spending cluster holding `address` (1 when it never co-spent).
    public mutating func clusterSize(_ address: String) -> Int { size[root(address)] ?? 1 }

    /// The feature vector of `address`, nil when it was never seen.
    public mutating func features(_ address: String) -> [Double]? {
        guard let accumulator = accumulators[address] else { return nil }
        return AddressFeatures.vector(accumulator, clusterSize: clusterSize(address))
    }

    private static func isRound(_ value: Int64) -> Bool { value > 0 && value % 100_000 == 0 }

    /// Applies one transaction (in chain order).
    public mutating func apply(_ flow: TransactionFlow) {
        let inputAddresses = Set(flow.inputs.compactMap(\.address))
        let outputAddresses = Set(flow.outputs.compactMap(\.address))
        let values = flow.outputs.map(\.value)
        let equalValues = values.count >= 3 && Set(values).count == 1
        var firstSeenHere = Set<String>()
        for address in inputAddresses.union(outputAddresses) {
            var accumulator = accumulators[address] ?? AddressAccumulator()
            if accumulator.transactions == 0 {
                accumulator.firstSeen = flow.time
                firstSeenHere.insert(address)
            } else {
                let gap = Double(max(0, flow.time - accumulator.lastSeen))
                accumulator.gapCount += 1
                let delta = gap - accumulator.gapMean
                accumulator.gapMean += delta / Double(accumulator.gapCount)
                accumulator.gapM2 += delta * (gap - accumulator.gapMean)
            }
            accumulator.lastSeen = max(accumulator.lastSeen, flow.time)
            accumulator.transactions += 1
            if outputAddresses.contains(address) {
                accumulator.receivingTransactions += 1
                accumulator.fanInSum += flow.isCoinbase ? 0 : flow.inputs.count
                if flow.isCoinbase { accumulator.coinbaseReceipts += 1 }
            }
            if inputAddresses.contains(address) {
                accumulator.sendingTransactions += 1
                accumulator.fanOutSum += flow.outputs.count
                if !outputAddresses.isDisjoint(with: inputAddresses) { accumulator.selfChangeSends += 1 }
                if equalValues { accumulator.equalValueSends += 1 }
            }
            accumulators[address] = accumulator
        }
        for input in flow.inputs {
            guard let address = input.address else { continue }
            accumulators[address]?.sent += input.value ?? 0
        }
        let twoOutputs = flow.outputs.count == 2
        for (index, output) in flow.outputs.enumerated() {
            guard let address = output.address else { continue }
            accumulators[address]?.received += output.value
            accumulators[address]?.outputsReceived += 1
            if Self.isRound(output.value) { accumulators[address]?.roundOutputsReceived += 1 }
            if twoOutputs, !flow.isCoinbase, !Self.isRound(output.value), Self.isRound(flow.outputs[1 - index].value),
               firstSeenHere.contains(address) {
                accumulators[address]?.likelyChangeReceipts += 1
            }
        }
        if let first = inputAddresses.first {
            for other in inputAddresses where other != first { union(first, other) }
        }
    }

    /// Brings the index up to the store's tip, rebuilding it first when the store no longer holds the block the
    /// index was synchronised to (a reorg). Returns the number of blocks applied.
    @discardableResult
    public mutating func synchronise(with store: any ChainDatabase, blocksPerRead: Int = 500) async throws -> Int {
        if height >= 0, try await store.blockHash(at: height)?.hex != tipHash {
            self = AddressFeatureIndex()
        }
        guard let tip = try await store.tip(), tip.height > height else { return 0 }
        var next = height < 0 ? (try await store.lowestHeight() ?? 0) : height + 1
        var applied = 0
        while next <= tip.height {
            let end = min(tip.height, next + blocksPerRead - 1)
            for flow in try await store.flows(heights: next...end) { apply(flow) }
            applied += end - next + 1
            next = end + 1
        }
        height = tip.height
        tipHash = tip.hash.hex
        return applied
    }

    /// Loads the index saved in the store (an empty one when none), synchronises it and saves it back.
    public static func loadSynchronised(store: any ChainDatabase) async throws -> AddressFeatureIndex {
        var index = AddressFeatureIndex()
        if let data = try await store.analysisState("address-features"),
           let saved = try? JSONDecoder().decode(AddressFeatureIndex.self, from: data) {
            index = saved
        }
        if try await index.synchronise(with: store) > 0 {
            try await store.saveAnalysisState("address-features", value: try JSONEncoder().encode(index))
        }
        return index
    }
}
