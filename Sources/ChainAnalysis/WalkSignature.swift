import Foundation

/// The walk-signature distance between nodes published by the BlockNinjas project (2018), which compares the
/// degree sequences met along every walk of a fixed length from each node.
///
/// Undirected (the published definition): every walk of exactly `depth` steps from a node, backtracking allowed,
/// neighbours taken in ascending order, gives the sequence of degrees `(d_0, ..., d_depth)` of the nodes visited
/// (`d_0` the start's own). Two walks differ by `sum_k |ln a_k - ln b_k|^(depth - k + 1)`. From node `u` to node `v`,
/// each of `u`'s walks in order is matched greedily to the nearest not-yet-matched walk of `v` (the first one on a
/// tie) until either side runs out; the directional distance is the mean of the squared matched differences, and
/// the distance is the smaller of the two directions. Two isolated nodes are at distance 0, an isolated and a
/// connected node at +infinity. Candidate walks whose differences agree to a relative 1e-9 count as tied (the
/// earlier wins), so floating-point rounding cannot change which walk is matched.
///
/// Directed variant (an extension of ours): the same computed over out-walks with out-degrees plus over in-walks
/// (arcs reversed) with in-degrees. Walks there can reach a node with no onward arc, so each walk is taken as far as
/// it goes up to `depth` steps, missing positions count as degree 0, and degrees enter as `ln(1 + d)`; every
/// directed distance is therefore finite.
public struct WalkSignature: Sendable {
    /// Walk length in steps.
    public let depth: Int
    /// Number of nodes.
    public let nodeCount: Int
    private let width: Int
    /// `walkStart[u]..<walkStart[u + 1]` indexes node `u`'s walks.
    private let walkStart: [Int]
    /// Per walk, `width` transformed degrees.
    private let values: [Double]
    /// Nodes with no walk at all (isolated, in the undirected definition).
    private let isEmpty: [Bool]
    private let exponents: [Int]
    /// Relative difference under which two walk distances count as equal in the greedy matching.
    public static let tieTolerance = 1e-9

    /// Computes the walk signatures of every node.
    ///
    /// - Parameters:
    ///   - graph: adjacency to walk along.
    ///   - depth: walk length in steps (at least 1).
    ///   - completeWalksOnly: the published definition (only walks of exactly `depth` steps, degrees as `ln d`);
    ///     false gives the directed variant's walks (stop at dead ends, pad with degree 0, degrees as `ln(1 + d)`).
    public init(graph: AdjacencyGraph, depth: Int, completeWalksOnly: Bool = true) {
        precondition(depth >= 1, "depth is at least 1")
        self.depth = depth
        nodeCount = graph.nodeCount
        width = depth + 1
        exponents = (0...depth).map { depth - $0 + 1 }
        let transformed: [Double] = (0..<graph.nodeCount).map { node in
            let degree = Double(graph.degree(node))
            return completeWalksOnly ? log(degree) : log1p(degree)
        }
        var walkStart = [0]
        var values = [Double]()
        var isEmpty = [Bool]()
        var path = [Int](repeating: 0, count: depth + 1)
        var walks = 0
        let width = depth + 1
        func extend(_ position: Int) {
            let node = path[position]
            if position == depth {
                for step in 0...depth { values.append(transformed[path[step]]) }
                walks += 1
                return
            }
            let neighbours = graph.neighbours(node)
            if neighbours.isEmpty && !completeWalksOnly {
                for step in 0...position { values.append(transformed[path[step]]) }
                for _ in position..<depth { values.append(0) }
                walks += 1
                return
            }
            for next in neighbours {
                path[position + 1] = Int(next)
                extend(position + 1)
            }
        }
        for node in 0..<graph.nodeCount {
            walks = 0
            path[0] = node
            if completeWalksOnly && graph.degree(node) == 0 {
                isEmpty.append(true)
            } else {
                extend(0)
                isEmpty.append(walks == 0)
            }
            walkStart.append(values.count / width)
        }
        self.walkStart = walkStart
        self.values = values
        self.isEmpty = isEmpty
    }

    /// Number of walks from `node`.
    public func walkCount(_ node: Int) -> Int { walkStart[node + 1] - walkStart[node] }

    /// Whether two nodes have identical signatures (then their distance to every node is the same).
    public func sameSignature(_ u: Int, _ v: Int) -> Bool {
        guard walkCount(u) == walkCount(v), isEmpty[u] == isEmpty[v] else { return false }
        return values[walkStart[u] * width..<walkStart[u + 1] * width]
            .elementsEqual(values[walkStart[v] * width..<walkStart[v + 1] * width])
    }

    /// A hash of `node`'s signature, equal for identical signatures.
    public func signatureHash(_ node: Int) -> Int {
        var hasher = Hasher()
        hasher.combine(isEmpty[node])
        for index in walkStart[node] * width..<walkStart[node + 1] * width { hasher.combine(values[index]) }
        return hasher.finalize()
    }

    /// Reusable scratch space for ``distance(_:_:scratch:)``, one per thread.
    public struct Scratch {
        var stamp: [UInt32] = []
        var generation: UInt32 = 0

        /// Creates empty scratch space.
        public init() {}
    }

    /// The distance between nodes `u` and `v`.
    public func distance(_ u: Int, _ v: Int, scratch: inout Scratch) -> Double {
        switch (isEmpty[u], isEmpty[v]) {
        case (true, true): return 0
        case (true, false), (false, true): return .infinity
        case (false, false): break
        }
        return min(directional(u, v, scratch: &scratch), directional(v, u, scratch: &scratch))
    }

    /// The distance between nodes `u` and `v` (allocates scratch space; use the `scratch:` form in loops).
    public func distance(_ u: Int, _ v: Int) -> Double {
        var scratch = Scratch()
        return distance(u, v, scratch: &scratch)
    }

    private func directional(_ u: Int, _ v: Int, scratch: inout Scratch) -> Double {
        let aStart = walkStart[u], aEnd = walkStart[u + 1]
        let bStart = walkStart[v], bEnd = walkStart[v + 1]
        let bCount = bEnd - bStart
        if scratch.stamp.count < bCount { scratch.stamp = [UInt32](repeating: 0, count: bCount * 2) }
        scratch.generation &+= 1
        if scratch.generation == 0 {
            for index in scratch.stamp.indices { scratch.stamp[index] = 0 }
            scratch.generation = 1
        }
        let generation = scratch.generation
        let width = self.width
        var sum = 0.0
        var matched = 0
        values.withUnsafeBufferPointer { values in
            exponents.withUnsafeBufferPointer { exponents in
                scratch.stamp.withUnsafeMutableBufferPointer { stamp in
                    for a in aStart..<aEnd where matched < bCount {
                        let aBase = a * width
                        var best = Double.infinity
                        var bestIndex = -1
                        for b in 0..<bCount where stamp[b] != generation {
                            let bBase = (bStart + b) * width
                            var difference = 0.0
                            for k in 0..<width {
                                let x = abs(values[aBase + k] - values[bBase + k])
                                var power = x
                                var remaining = exponents[k] - 1
                                while remaining > 0 {
                                    power *= x
                                    remaining -= 1
                                }
                                difference += power
                                if difference >= best { break }
                            }
                            // A difference within a relative 1e-9 of the best so far is a tie and keeps the
                            // earlier walk, so rounding in the last bits cannot reorder mathematically equal walks.
                            if bestIndex < 0 || difference < best * (1 - Self.tieTolerance) {
                                best = difference
                                bestIndex = b
                            }
                        }
                        stamp[bestIndex] = generation
                        sum += best * best
                        matched += 1
                    }
                }
            }
        }
        return matched == 0 ? 0 : sum / Double(matched)
    }
}

/// Walk-signature distances over a whole graph, undirected or directed.
public struct WalkSignatureSimilarity: Sendable {
    /// One node pair's distance (`a < b`).
    public struct Pair: Sendable, Equatable {
        public var a: Int
        public var b: Int
        public var distance: Double
    }

    private let signatures: [WalkSignature]
    /// Number of nodes.
    public let nodeCount: Int

    /// Prepares the distance of `graph`'s nodes (for the directed variant, `graph` holds the arcs).
    public init(graph: AdjacencyGraph, depth: Int, directed: Bool) {
        nodeCount = graph.nodeCount
        if directed {
            signatures = [WalkSignature(graph: graph, depth: depth, completeWalksOnly: false),
                          WalkSignature(graph: graph.reversed(), depth: depth, completeWalksOnly: false)]
        } else {
            signatures = [WalkSignature(graph: graph, depth: depth)]
        }
    }

    /// Convenience: from an edge list, treating `(a, b)` as an undirected edge or, with `directed`, an arc a → b.
    public init(nodeCount: Int, edges: [(Int, Int)], depth: Int, directed: Bool) {
        let graph = directed ? AdjacencyGraph(nodeCount: nodeCount, arcs: edges)
            : AdjacencyGraph.undirected(nodeCount: nodeCount, edges: edges)
        self.init(graph: graph, depth: depth, directed: directed)
    }

    /// The distance between two nodes.
    public func distance(_ u: Int, _ v: Int) -> Double {
        signatures.reduce(0) { $0 + $1.distance(u, v) }
    }

    /// Groups nodes with identical signatures (their distances to everything coincide), each group ascending.
    public func signatureClasses() -> [[Int]] {
        var byHash: [Int: [[Int]]] = [:]
        var classes = [[Int]]()
        var classIndex: [Int: [Int]] = [:]
        for node in 0..<nodeCount {
            let hash = signatures.reduce(into: Hasher()) { $0.combine($1.signatureHash(node)) }.finalize()
            var placed = false
            for (position, members) in (byHash[hash] ?? []).enumerated() {
                if signatures.allSatisfy({ $0.sameSignature(members[0], node) }) {
                    let index = classIndex[hash]![position]
                    classes[index].append(node)
                    byHash[hash]![position].append(node)
                    placed = true
                    break
                }
            }
            if !placed {
                byHash[hash, default: []].append([node])
                classIndex[hash, default: []].append(classes.count)
                classes.append([node])
            }
        }
        return classes
    }

    /// The distance from `node` to every other node, sorted by distance then node (pairs with `a` = `node`).
    public func distances(from node: Int) -> [Pair] {
        var scratch = signatures.map { _ in WalkSignature.Scratch() }
        var pairs = [Pair]()
        pairs.reserveCapacity(max(0, nodeCount - 1))
        for other in 0..<nodeCount where other != node {
            var total = 0.0
            for (index, signature) in signatures.enumerated() {
                total += signature.distance(node, other, scratch: &scratch[index])
            }
            pairs.append(Pair(a: node, b: other, distance: total))
        }
        pairs.sort { ($0.distance, $0.b) < ($1.distance, $1.b) }
        return pairs
    }

    /// Every pair's distance, sorted by distance then `a` then `b`.
    ///
    /// Distances are computed once per pair of distinct signature classes, split over the available cores.
    public func allPairs() -> [Pair] {
        let classes = signatureClasses()
        let count = classes.count
        let representatives = classes.map { $0[0] }
        // Upper triangle of the class distance matrix, row-major; each row written by exactly one worker.
        let matrix = DistanceMatrix(count: count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var scratch = signatures.map { _ in WalkSignature.Scratch() }
            var row = worker
            while row < count {
                for column in row + 1..<count {
                    var total = 0.0
                    for (index, signature) in signatures.enumerated() {
                        total += signature.distance(representatives[row], representatives[column],
                                                    scratch: &scratch[index])
                    }
                    matrix.set(row, column, total)
                }
                row += workers
            }
        }
        var classOf = [Int](repeating: 0, count: nodeCount)
        for (index, members) in classes.enumerated() { for node in members { classOf[node] = index } }
        var pairs = [Pair]()
        pairs.reserveCapacity(nodeCount * (nodeCount - 1) / 2)
        for a in 0..<nodeCount {
            for b in a + 1..<nodeCount {
                let (x, y) = (classOf[a], classOf[b])
                let distance = x == y ? 0 : matrix.get(min(x, y), max(x, y))
                pairs.append(Pair(a: a, b: b, distance: distance))
            }
        }
        pairs.sort { ($0.distance, $0.a, $0.b) < ($1.distance, $1.a, $1.b) }
        return pairs
    }
}

/// A triangular matrix of distances written concurrently by rows.
final class DistanceMatrix: @unchecked Sendable {
    // @unchecked: workers write disjoint elements through the raw pointer, and every write finishes before any read
    // (concurrentPerform returns only when all workers are done).
    private let storage: UnsafeMutableBufferPointer<Double>
    private let count: Int

    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: max(1, count * (count - 1) / 2))
        storage.initialize(repeating: 0)
    }

    deinit { storage.deallocate() }

    private func index(_ row: Int, _ column: Int) -> Int {
        row * count - row * (row + 1) / 2 + (column - row - 1)
    }

    func set(_ row: Int, _ column: Int, _ value: Double) { storage[index(row, column)] = value }
    func get(_ row: Int, _ column: Int) -> Double { storage[index(row, column)] }
}
