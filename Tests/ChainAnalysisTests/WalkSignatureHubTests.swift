import ChainTestSupport
import Foundation
import Randomness
import Synchronization
import Testing
@testable import ChainAnalysis

/// The walk signature as its definition reads, hub cap included, written for clarity: every walk as an array, each
/// of `u`'s walks scanning all of `v`'s. Differences use `pow`, so agreement with ``WalkSignature`` is to rounding.
struct BruteForceWalkSignature {
    let walks: [[[Double]]]
    let depth: Int

    init(nodeCount: Int, edges: [(Int, Int)], depth: Int, hubCap: Int?) {
        self.depth = depth
        var neighbours = [Set<Int>](repeating: [], count: nodeCount)
        for (a, b) in edges where a != b {
            neighbours[a].insert(b)
            neighbours[b].insert(a)
        }
        let degree = neighbours.map(\.count)
        // The neighbours a walk leaves a node through: all, or above the cap the ones at ranks (2i + 1) d / (2 cap)
        // when ordered by degree then id; always in ascending id order.
        let leave: [[Int]] = neighbours.map { set in
            guard let hubCap, set.count > hubCap else { return set.sorted() }
            let ranked = set.sorted { (degree[$0], $0) < (degree[$1], $1) }
            return (0..<hubCap).map { ranked[(2 * $0 + 1) * set.count / (2 * hubCap)] }.sorted()
        }
        walks = (0..<nodeCount).map { start in
            guard degree[start] > 0 else { return [] }
            var paths = [[start]]
            for _ in 0..<depth { paths = paths.flatMap { path in leave[path.last!].map { path + [$0] } } }
            return paths.map { $0.map { log(Double(degree[$0])) } }
        }
    }

    func difference(_ a: [Double], _ b: [Double]) -> Double {
        (0...depth).reduce(0) { $0 + pow(abs(a[$1] - b[$1]), Double(depth - $1 + 1)) }
    }

    func directional(_ u: Int, _ v: Int) -> Double {
        var taken = [Bool](repeating: false, count: walks[v].count)
        var sum = 0.0
        var matched = 0
        for a in walks[u] where matched < walks[v].count {
            let open = walks[v].indices.filter { !taken[$0] }
            let nearest = open.map { difference(a, walks[v][$0]) }.min()!
            // The earliest open walk within the tie tolerance of the nearest.
            let chosen = open.first { difference(a, walks[v][$0]) <= nearest * (1 + WalkSignature.tieTolerance) }!
            taken[chosen] = true
            sum += pow(difference(a, walks[v][chosen]), 2)
            matched += 1
        }
        return sum / Double(matched)
    }

    func distance(_ u: Int, _ v: Int) -> Double {
        switch (walks[u].isEmpty, walks[v].isEmpty) {
        case (true, true): return 0
        case (true, false), (false, true): return .infinity
        case (false, false): return min(directional(u, v), directional(v, u))
        }
    }
}

@Suite("Walk signatures on graphs with hubs")
struct WalkSignatureHubTests {
    @Test func hubGraphHasTheRequestedHubAndAHeavyTail() {
        let nodes = 3_386
        let graph = AdjacencyGraph.undirected(nodeCount: nodes, edges: HubGraph.edges(nodes: nodes, hubDegree: 1_253,
                                                                                      seed: 1))
        let degrees = (0..<nodes).map(graph.degree)
        #expect(degrees[0] == 1_253)
        #expect(degrees.dropFirst().max()! < 1_253)
        #expect(degrees.filter { $0 <= 2 }.count > nodes / 2, "most addresses are seen once or twice")
        #expect(degrees.filter { $0 >= 20 }.count >= 10, "and a few are busy")
    }

    @Test(arguments: [(seed: UInt64(3), depth: 2), (seed: 4, depth: 2), (seed: 5, depth: 3)])
    func cappedDistancesEqualABruteForceEnumerationOnAHubGraph(seed: UInt64, depth: Int) {
        let nodes = 70, cap = 4
        let edges = HubGraph.edges(nodes: nodes, hubDegree: 30, exponent: 1.5, maximumDegree: 9, seed: seed)
        let graph = AdjacencyGraph.undirected(nodeCount: nodes, edges: edges)
        #expect((0..<nodes).filter { graph.degree($0) > cap }.count >= 3, "the cap must bite for this to test it")
        let capped = WalkSignatureSimilarity(graph: graph, depth: depth, directed: false, hubCap: cap)
        let uncapped = WalkSignatureSimilarity(graph: graph, depth: depth, directed: false, hubCap: nil)
        let reference = BruteForceWalkSignature(nodeCount: nodes, edges: edges, depth: depth, hubCap: cap)
        var changed = 0
        for pair in capped.allPairs() {
            let expected = reference.distance(pair.a, pair.b)
            #expect(pair.distance == expected || abs(pair.distance - expected) <= 1e-12 * expected,
                    "\(pair.a)-\(pair.b): \(pair.distance), by enumeration \(expected)")
            if pair.distance != uncapped.distance(pair.a, pair.b) { changed += 1 }
        }
        #expect(changed > 0, "the cap changes the distances of nodes that walk through a hub")
    }

    @Test func withoutACapTheCompressedMatchingEqualsTheFirstAlgorithmOnAHubGraph() {
        let nodes = 90
        let edges = HubGraph.edges(nodes: nodes, hubDegree: 45, maximumDegree: 8, seed: 11)
        let graph = AdjacencyGraph.undirected(nodeCount: nodes, edges: edges)
        let signature = WalkSignature(graph: graph, depth: 2, hubCap: nil)
        let reference = ReferenceWalkSignature(graph: graph, depth: 2)
        for u in 0..<nodes {
            #expect(signature.walkCount(u) == reference.walkCount(u))
            for v in u + 1..<nodes { #expect(signature.distance(u, v) == reference.distance(u, v), "\(u)-\(v)") }
        }
    }

    /// Graphs whose degrees all stay at or below the cap: random (uniform and power-law), undirected and directed,
    /// depths 1 to 3. Distances must be bit for bit the first algorithm's.
    @Test(arguments: [(seed: UInt64(21), depth: 1, directed: false), (seed: 22, depth: 2, directed: false),
                      (seed: 23, depth: 3, directed: false), (seed: 24, depth: 2, directed: true),
                      (seed: 25, depth: 3, directed: true)])
    func signaturesOnGraphsWithNoNodeAboveTheCapEqualTheFirstAlgorithm(seed: UInt64, depth: Int, directed: Bool) {
        var random = SplitMix64(seed: seed)
        let uniform = (0..<150).map { _ in (Int(random.next() % 70), Int(random.next() % 70)) }
        let powerLaw = HubGraph.edges(nodes: 70, hubDegree: 12, maximumDegree: 12, seed: seed)
        for edges in [uniform, powerLaw] {
            let graph = directed ? AdjacencyGraph(nodeCount: 70, arcs: edges)
                : AdjacencyGraph.undirected(nodeCount: 70, edges: edges)
            let cap = 12
            #expect((0..<70).allSatisfy { graph.degree($0) <= cap && graph.reversed().degree($0) <= cap })
            let graphs = directed ? [graph, graph.reversed()] : [graph]
            for walked in graphs {
                let signature = WalkSignature(graph: walked, depth: depth, completeWalksOnly: !directed, hubCap: cap)
                let reference = ReferenceWalkSignature(graph: walked, depth: depth, completeWalksOnly: !directed)
                for u in 0..<70 {
                    #expect(signature.walkCount(u) == reference.walkCount(u))
                    for v in 0..<70 where v != u {
                        let (got, expected) = (signature.distance(u, v), reference.distance(u, v))
                        #expect(got == expected || (got.isInfinite && expected.isInfinite),
                                "\(u)-\(v): \(got), first algorithm \(expected)")
                    }
                }
            }
        }
    }

    @Test func aHubIsLeftThroughNeighboursSpreadOverItsNeighboursDegrees() {
        // Node 0 has 8 neighbours, 1...8; neighbour k also has k - 1 leaves of its own, so degree k.
        var edges = (1...8).map { (0, $0) }
        var next = 9
        for neighbour in 1...8 {
            for _ in 0..<(neighbour - 1) {
                edges.append((neighbour, next))
                next += 1
            }
        }
        let graph = AdjacencyGraph.undirected(nodeCount: next, edges: edges)
        let steps = WalkSignature.cappedSteps(graph, cap: 4)
        // Ranks (2i + 1) * 8 / 8 = 1, 3, 5, 7 of the neighbours by degree (1...8): nodes 2, 4, 6, 8.
        #expect(Array(steps.neighbours(0)) == [2, 4, 6, 8])
        // Node 8's neighbours by degree: its leaves 30...36, then node 0; ranks 1, 3, 5, 7.
        #expect(Array(steps.neighbours(8)) == [0, 31, 33, 35])
        #expect(Array(steps.neighbours(3)) == Array(graph.neighbours(3)), "at or below the cap: every neighbour")
        let signature = WalkSignature(graph: graph, depth: 2, hubCap: 4)
        // Through 2 and 4 every neighbour (2 and 4 walks), through 6 and 8 four each.
        #expect(signature.walkCount(0) == 2 + 4 + 4 + 4)
    }

    @Test func workPerNodeIsBoundedByTheCap() {
        let nodes = 600
        let graph = AdjacencyGraph.undirected(nodeCount: nodes, edges: HubGraph.edges(nodes: nodes, hubDegree: 300,
                                                                                      seed: 8))
        let cap = 16
        let signature = WalkSignature(graph: graph, depth: 3, hubCap: cap)
        for node in 0..<nodes {
            #expect(signature.walkCount(node) <= min(graph.degree(node), cap) * cap * cap)
        }
        #expect(ReferenceWalkSignature(graph: graph, depth: 3).walkCount(0) > 100 * signature.walkCount(0))
    }

    @Test func progressReachesTheTotal() {
        let edges = HubGraph.edges(nodes: 200, hubDegree: 60, seed: 2)
        let similarity = WalkSignatureSimilarity(nodeCount: 200, edges: edges, depth: 2, directed: false)
        let last = Mutex((done: 0, total: -1))
        _ = similarity.distances(from: 0) { done, total in last.withLock { $0 = (max($0.done, done), total) } }
        #expect(last.withLock { $0.done == 199 && $0.total == 199 })
        _ = similarity.allPairs { done, total in last.withLock { $0 = (max($0.done, done), total) } }
        #expect(last.withLock { $0.total > 0 && $0.done == $0.total })
    }
}
