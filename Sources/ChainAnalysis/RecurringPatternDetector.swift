import ChainStore
import Foundation

/// Finds automated payment machinery: groups of addresses whose transaction-graph neighbourhoods are near-identical
/// (walk-signature distance under a threshold) within a window of blocks, and groups that recur with largely the same
/// members over several windows.
///
/// Comparing all pairs is quadratic, so candidates are bucketed first: only addresses with the same bucket key —
/// degree (out- and in-degree when directed) and the sorted log2-quantised degrees of their neighbours — are
/// compared. The trade-off:
/// two addresses whose neighbourhoods differ by a single extra payment usually land in different buckets and are
/// never compared, so a pattern whose members vary a little from payment to payment is split or missed; a bucket
/// larger than ``Options/maximumBucket`` is compared only within its first members (by address order), which bounds
/// the work on very regular graphs at the price of completeness there.
public struct RecurringPatternDetector: Sendable {
    /// Detection parameters.
    public struct Options: Sendable, Codable {
        /// Blocks per window.
        public var windowBlocks = 144
        /// Walk depth of the signature.
        public var depth = 2
        /// Largest distance for two addresses to count as the same shape.
        public var threshold = 1e-9
        /// Smallest group size.
        public var minimumGroupSize = 3
        /// Windows a group must recur in to be reported.
        public var minimumOccurrences = 3
        /// Share of the smaller group's members two windows' groups must have in common to be the same pattern.
        public var minimumOverlap = 0.5
        /// Addresses compared per bucket at most.
        public var maximumBucket = 2_000
        /// Use the directed walk signature (out- plus in-degree). The default, undirected, sees the payer's total
        /// degree from a payee, which is what tells a fixed payout set from one-off payees of a busy sender; the
        /// directed in-walk of a payee sees only in-degrees.
        public var directed = false

        public init() {}
    }

    /// A group of same-shaped addresses in one window.
    public struct Group: Sendable {
        public var members: Set<String>
        public var window: Int
        public var firstTime: Int
        public var lastTime: Int
    }

    /// A recurring pattern.
    public struct Pattern: Sendable, Codable {
        /// Addresses in at least half of the pattern's windows, sorted: the fixed set the machinery pays.
        public var members: [String]
        /// Addresses in fewer than half of its windows (for example a payer's fresh change addresses, which have the
        /// payees' shape in their own window only).
        public var transientMembers: Int
        /// Windows the pattern appeared in.
        public var occurrences: Int
        /// Index of the windows (0 = first window of the analysed range).
        public var windows: [Int]
        /// Block time of the first and last transaction involved.
        public var firstSeen: Int
        public var lastSeen: Int
    }

    public let options: Options

    public init(options: Options = Options()) { self.options = options }

    /// Same-shaped groups among the addresses of `flows` (one window), on their ``TransactionGraph``.
    public func groups(in flows: [TransactionFlow], window: Int) -> [Group] {
        let transactionGraph = TransactionGraph(flows: flows)
        let names = transactionGraph.addresses
        let arcs = transactionGraph.arcs
        let times = transactionGraph.timeSpans
        guard !names.isEmpty else { return [] }
        let graph = options.directed ? AdjacencyGraph(nodeCount: names.count, arcs: arcs)
            : AdjacencyGraph.undirected(nodeCount: names.count, edges: arcs)
        let reversed = options.directed ? graph.reversed() : AdjacencyGraph(nodeCount: names.count, arcs: [])
        func level(_ degree: Int) -> Int { degree == 0 ? 0 : Int.bitWidth - degree.leadingZeroBitCount }
        var buckets = [[Int]: [Int]]()
        for node in 0..<names.count where graph.degree(node) + reversed.degree(node) > 0 {
            let neighbourhood = (graph.neighbours(node).map { 2 * level(graph.degree(Int($0))) }
                + reversed.neighbours(node).map { 2 * level(reversed.degree(Int($0))) + 1 }).sorted()
            buckets[[graph.degree(node), reversed.degree(node)] + neighbourhood, default: []].append(node)
        }
        let similarity = WalkSignatureSimilarity(graph: graph, depth: options.depth, directed: options.directed)
        var result = [Group]()
        for (_, bucket) in buckets where bucket.count >= options.minimumGroupSize {
            let members = Array(bucket.sorted { names[$0] < names[$1] }.prefix(options.maximumBucket))
            var parent = Array(0..<members.count)
            func find(_ x: Int) -> Int {
                var x = x
                while parent[x] != x {
                    parent[x] = parent[parent[x]]
                    x = parent[x]
                }
                return x
            }
            for i in 0..<members.count {
                for j in i + 1..<members.count where find(i) != find(j) {
                    if similarity.distance(members[i], members[j]) <= options.threshold { parent[find(j)] = find(i) }
                }
            }
            for component in Dictionary(grouping: members.indices, by: find).values
            where component.count >= options.minimumGroupSize {
                let nodes = component.map { members[$0] }
                result.append(Group(members: Set(nodes.map { names[$0] }), window: window,
                                    firstTime: nodes.map { times[$0].first }.min() ?? 0,
                                    lastTime: nodes.map { times[$0].last }.max() ?? 0))
            }
        }
        return result
    }

    /// Links each window's group to the pattern whose latest group it overlaps (common members at least
    /// ``Options/minimumOverlap`` of the smaller group, so a window where other same-shaped addresses join the payees
    /// still links) and reports the patterns recurring in ``Options/minimumOccurrences`` windows or
    /// more and keeping at least ``Options/minimumGroupSize`` members in half their windows, largest occurrence count
    /// first. Comparing with the latest group rather than with every member so far
    /// keeps a fixed payee set linked while one-off addresses (fresh change) come and go.
    public func recurring(_ groups: [Group]) -> [Pattern] {
        var patterns = [(seen: [String: Int], latest: Set<String>, windows: [Int], first: Int, last: Int)]()
        // Groups of one window come in hash order; ordering them by their first member makes the result
        // the same from run to run.
        let ordered = groups.map { ($0, $0.members.min() ?? "") }
            .sorted { ($0.0.window, $0.1) < ($1.0.window, $1.1) }.map(\.0)
        for group in ordered {
            let match = patterns.indices.first { index in
                let latest = patterns[index].latest
                let overlap = Double(latest.intersection(group.members).count)
                    / Double(min(latest.count, group.members.count))
                return overlap >= options.minimumOverlap && patterns[index].windows.last != group.window
            }
            if let match {
                for member in group.members { patterns[match].seen[member, default: 0] += 1 }
                patterns[match].latest = group.members
                patterns[match].windows.append(group.window)
                patterns[match].first = min(patterns[match].first, group.firstTime)
                patterns[match].last = max(patterns[match].last, group.lastTime)
            } else {
                patterns.append((Dictionary(uniqueKeysWithValues: group.members.map { ($0, 1) }), group.members,
                                 [group.window], group.firstTime, group.lastTime))
            }
        }
        return patterns.filter { $0.windows.count >= options.minimumOccurrences }
            .compactMap { pattern in
                let core = pattern.seen.filter { 2 * $0.value >= pattern.windows.count }.keys.sorted()
                guard core.count >= options.minimumGroupSize else { return nil }
                return Pattern(members: core, transientMembers: pattern.seen.count - core.count,
                               occurrences: pattern.windows.count, windows: pattern.windows,
                               firstSeen: pattern.first, lastSeen: pattern.last)
            }
            .sorted { ($0.occurrences, $1.members.first ?? "") > ($1.occurrences, $0.members.first ?? "") }
    }

    /// Runs detection over the stored blocks `heights`, window by window.
    public func detect(store: any ChainDatabase, heights: ClosedRange<Int>) async throws -> [Pattern] {
        var groups = [Group]()
        var start = heights.lowerBound
        var window = 0
        while start <= heights.upperBound {
            let end = min(heights.upperBound, start + options.windowBlocks - 1)
            groups += self.groups(in: try await store.flows(heights: start...end), window: window)
            start = end + 1
            window += 1
        }
        return recurring(groups)
    }
}
