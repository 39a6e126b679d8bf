import Foundation
import Synchronization

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
///
/// Hub cap (ours; see `docs/chain-sidecar.md`): with a cap `c`, a walk leaves a node of degree above `c` through `c`
/// of its neighbours only, the ones at ranks `(2i + 1) * d / (2c)` (`i` in `0..<c`, integer division) of its `d`
/// neighbours ordered by degree then id, taken in ascending id order. Recorded degrees stay the true ones. Nodes of
/// degree `c` or less are walked exactly as above, so a graph without such hubs gets the published distances.
///
/// Each node's walks are stored compressed: the distinct degree sequences (classes, sorted) in a trie with their
/// counts and the positions where they occur, and the walk order as runs of classes. Matching a walk searches the
/// other node's trie nearest-first with pruning, so it costs about the logarithm of the classes, not their number.
public struct WalkSignature: Sendable {
    /// Walk length in steps.
    public let depth: Int
    /// Number of nodes.
    public let nodeCount: Int
    /// Degree above which a node is left through only this many of its neighbours; nil walks every neighbour.
    public let hubCap: Int?
    /// The hub cap `coinsentry chain similarity` and pattern detection use unless told otherwise.
    public static let defaultHubCap = 128
    private let width: Int
    private let exponents: [Int]
    /// Per node, its walk count, and whether it has no walk at all (isolated, in the undirected definition).
    private let walkTotal: [Int]
    private let isEmpty: [Bool]
    /// `classStart[u]..<classStart[u + 1]` indexes node `u`'s classes, sorted lexicographically.
    private let classStart: [Int]
    /// Per class, `width` transformed degrees.
    private let classValues: [Double]
    /// `occurrenceStart[k]..<occurrenceStart[k + 1]` indexes class `k`'s walk positions (ascending) in `occurrences`.
    private let occurrenceStart: [Int]
    private let occurrences: [Int32]
    /// `runStart[u]..<runStart[u + 1]` indexes node `u`'s walks in order as runs of one class (node-local class ids).
    private let runStart: [Int]
    private let runClass: [Int32]
    private let runLength: [Int32]
    /// `trieStart[u]..<trieStart[u + 1]` indexes node `u`'s trie, level by level: a node at level `k` holds
    /// component `k` of the classes below it, its children are contiguous and sorted by value; the leaves (the last
    /// level) are the classes in order. Links are node-local; a leaf's `trieFirstChild` is its class.
    private let trieStart: [Int]
    private let trieRoots: [Int32]
    private let trieValue: [Double]
    private let trieFirstChild: [Int32]
    private let trieChildEnd: [Int32]
    private let trieParent: [Int32]
    private let trieCount: [Int32]
    /// Relative difference under which two walk distances count as equal in the greedy matching.
    public static let tieTolerance = 1e-9

    /// Computes the walk signatures of every node.
    ///
    /// - Parameters:
    ///   - graph: adjacency to walk along.
    ///   - depth: walk length in steps (at least 1).
    ///   - completeWalksOnly: the published definition (only walks of exactly `depth` steps, degrees as `ln d`);
    ///     false gives the directed variant's walks (stop at dead ends, pad with degree 0, degrees as `ln(1 + d)`).
    ///   - hubCap: leave nodes of higher degree through this many neighbours only (at least 1); nil for none.
    public init(graph: AdjacencyGraph, depth: Int, completeWalksOnly: Bool = true, hubCap: Int? = defaultHubCap) {
        precondition(depth >= 1, "depth is at least 1")
        precondition(hubCap.map { $0 >= 1 } ?? true, "the hub cap is at least 1")
        self.depth = depth
        self.hubCap = hubCap
        nodeCount = graph.nodeCount
        let width = depth + 1
        self.width = width
        exponents = (0...depth).map { depth - $0 + 1 }
        let transformed: [Double] = (0..<graph.nodeCount).map { node in
            let degree = Double(graph.degree(node))
            return completeWalksOnly ? log(degree) : log1p(degree)
        }
        let steps = hubCap.map { Self.cappedSteps(graph, cap: $0) } ?? graph
        var builder = Builder(width: width)
        var walks = [Double]()
        var path = [Int](repeating: 0, count: width)
        func extend(_ position: Int) {
            if position == depth {
                for step in 0...depth { walks.append(transformed[path[step]]) }
                return
            }
            let neighbours = steps.neighbours(path[position])
            if neighbours.isEmpty && !completeWalksOnly {
                for step in 0...position { walks.append(transformed[path[step]]) }
                for _ in position..<depth { walks.append(0) }
                return
            }
            for next in neighbours {
                path[position + 1] = Int(next)
                extend(position + 1)
            }
        }
        var isEmpty = [Bool]()
        isEmpty.reserveCapacity(graph.nodeCount)
        for node in 0..<graph.nodeCount {
            walks.removeAll(keepingCapacity: true)
            if !(completeWalksOnly && graph.degree(node) == 0) {
                path[0] = node
                extend(0)
            }
            isEmpty.append(walks.isEmpty)
            builder.add(walks)
        }
        self.isEmpty = isEmpty
        walkTotal = builder.walkTotal
        classStart = builder.classStart
        classValues = builder.classValues
        occurrenceStart = builder.occurrenceStart
        occurrences = builder.occurrences
        runStart = builder.runStart
        runClass = builder.runClass
        runLength = builder.runLength
        trieStart = builder.trieStart
        trieRoots = builder.trieRoots
        trieValue = builder.trieValue
        trieFirstChild = builder.trieFirstChild
        trieChildEnd = builder.trieChildEnd
        trieParent = builder.trieParent
        trieCount = builder.trieCount
    }

    /// The neighbours walks leave each node through: all of them up to `cap`, above it `cap` at evenly spaced ranks
    /// of the neighbours ordered by degree then id.
    static func cappedSteps(_ graph: AdjacencyGraph, cap: Int) -> AdjacencyGraph {
        guard (0..<graph.nodeCount).contains(where: { graph.degree($0) > cap }) else { return graph }
        var arcs = [(Int, Int)]()
        arcs.reserveCapacity(graph.targets.count)
        for node in 0..<graph.nodeCount {
            let neighbours = graph.neighbours(node)
            let degree = neighbours.count
            if degree <= cap {
                for next in neighbours { arcs.append((node, Int(next))) }
                continue
            }
            let ranked = neighbours.sorted { (graph.degree(Int($0)), $0) < (graph.degree(Int($1)), $1) }
            for index in 0..<cap { arcs.append((node, Int(ranked[(2 * index + 1) * degree / (2 * cap)]))) }
        }
        return AdjacencyGraph(nodeCount: graph.nodeCount, arcs: arcs)
    }

    /// Number of walks from `node`.
    public func walkCount(_ node: Int) -> Int { walkTotal[node] }

    /// Number of distinct degree sequences among `node`'s walks.
    public func classCount(_ node: Int) -> Int { classStart[node + 1] - classStart[node] }

    /// Whether two nodes have identical signatures (then their distance to every node is the same).
    public func sameSignature(_ u: Int, _ v: Int) -> Bool {
        guard walkTotal[u] == walkTotal[v], isEmpty[u] == isEmpty[v], classCount(u) == classCount(v),
              runStart[u + 1] - runStart[u] == runStart[v + 1] - runStart[v] else { return false }
        return classValues[classStart[u] * width..<classStart[u + 1] * width]
            .elementsEqual(classValues[classStart[v] * width..<classStart[v + 1] * width])
            && runClass[runStart[u]..<runStart[u + 1]].elementsEqual(runClass[runStart[v]..<runStart[v + 1]])
            && runLength[runStart[u]..<runStart[u + 1]].elementsEqual(runLength[runStart[v]..<runStart[v + 1]])
    }

    /// A hash of `node`'s signature, equal for identical signatures.
    public func signatureHash(_ node: Int) -> Int {
        var hasher = Hasher()
        hasher.combine(isEmpty[node])
        for index in classStart[node] * width..<classStart[node + 1] * width { hasher.combine(classValues[index]) }
        for index in runStart[node]..<runStart[node + 1] {
            hasher.combine(runClass[index])
            hasher.combine(runLength[index])
        }
        return hasher.finalize()
    }

    /// Reusable scratch space for ``distance(_:_:scratch:)``, one per thread.
    public struct Scratch {
        var remaining: [Int32] = []
        var consumed: [Int32] = []
        var candidateDifference: [Double] = []
        var candidateClass: [Int32] = []

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

    /// Matches `u`'s walks in order to `v`'s: each takes the nearest of `v`'s walks not yet taken, the earliest
    /// among those within ``tieTolerance`` of the nearest. A run of equal walks whose nearest class has no tie takes
    /// that class's walks in one step.
    private func directional(_ u: Int, _ v: Int, scratch: inout Scratch) -> Double {
        let bCount = walkTotal[v]
        let trieBase = trieStart[v], trieSize = trieStart[v + 1] - trieBase
        let classBase = classStart[v], classes = classCount(v)
        if scratch.remaining.count < trieSize { scratch.remaining = [Int32](repeating: 0, count: trieSize * 2) }
        if scratch.consumed.count < classes {
            scratch.consumed = [Int32](repeating: 0, count: classes * 2)
            scratch.candidateDifference = [Double](repeating: 0, count: classes * 2)
            scratch.candidateClass = [Int32](repeating: 0, count: classes * 2)
        }
        let leafBase = trieSize - classes
        var sum = 0.0
        var matched = 0
        let uClassBase = classStart[u]
        trieValue.withUnsafeBufferPointer { value in
        trieFirstChild.withUnsafeBufferPointer { firstChild in
        trieChildEnd.withUnsafeBufferPointer { childEnd in
        trieParent.withUnsafeBufferPointer { parent in
        trieCount.withUnsafeBufferPointer { count in
        classValues.withUnsafeBufferPointer { classValues in
        occurrences.withUnsafeBufferPointer { occurrences in
        exponents.withUnsafeBufferPointer { exponents in
        scratch.remaining.withUnsafeMutableBufferPointer { remaining in
        scratch.consumed.withUnsafeMutableBufferPointer { consumed in
        scratch.candidateDifference.withUnsafeMutableBufferPointer { candidateDifference in
        scratch.candidateClass.withUnsafeMutableBufferPointer { candidateClass in
            for index in 0..<trieSize { remaining[index] = count[trieBase + index] }
            for index in 0..<classes { consumed[index] = 0 }
            var search = NearestSearch(
                depth: depth, value: value.baseAddress! + trieBase, firstChild: firstChild.baseAddress! + trieBase,
                childEnd: childEnd.baseAddress! + trieBase, remaining: remaining.baseAddress!,
                exponents: exponents.baseAddress!, query: classValues.baseAddress!,
                candidateDifference: candidateDifference.baseAddress!, candidateClass: candidateClass.baseAddress!)
            for run in runStart[u]..<runStart[u + 1] where matched < bCount {
                search.query = classValues.baseAddress! + (uClassBase + Int(runClass[run])) * width
                var left = Int(runLength[run])
                while left > 0 && matched < bCount {
                    search.run(roots: Int(trieRoots[v]))
                    let band = Self.tieBand(search.best)
                    var chosen = -1
                    var chosenPosition = Int32.max
                    var difference = 0.0
                    var tied = 0
                    for candidate in 0..<search.candidateCount where candidateDifference[candidate] <= band {
                        tied += 1
                        let cls = Int(candidateClass[candidate])
                        let position = occurrences[occurrenceStart[classBase + cls] + Int(consumed[cls])]
                        if position < chosenPosition {
                            chosenPosition = position
                            chosen = cls
                            difference = candidateDifference[candidate]
                        }
                    }
                    let leaf = leafBase + chosen
                    let taken = tied == 1 ? min(left, Int(remaining[leaf]), bCount - matched) : 1
                    // The chosen walk's own difference: a tied one may differ from the smallest in its last bits.
                    for _ in 0..<taken { sum += difference * difference }
                    consumed[chosen] += Int32(taken)
                    var node = leaf
                    while node >= 0 {
                        remaining[node] -= Int32(taken)
                        node = Int(parent[trieBase + node])
                    }
                    matched += taken
                    left -= taken
                }
            }
        }}}}}}}}}}}}
        return matched == 0 ? 0 : sum / Double(matched)
    }

    /// Differences up to this count as tied with `best`.
    @inline(__always)
    static func tieBand(_ best: Double) -> Double { best + best * tieTolerance }
}

/// Nearest-first search of one node's trie for the classes nearest a query walk, over the classes with walks left.
private struct NearestSearch {
    let depth: Int
    let value: UnsafePointer<Double>
    let firstChild: UnsafePointer<Int32>
    let childEnd: UnsafePointer<Int32>
    let remaining: UnsafeMutablePointer<Int32>
    let exponents: UnsafePointer<Int>
    /// The query walk's `depth + 1` transformed degrees.
    var query: UnsafePointer<Double>
    let candidateDifference: UnsafeMutablePointer<Double>
    let candidateClass: UnsafeMutablePointer<Int32>
    /// After ``run(roots:)``: the smallest difference, and every class found within the tie band of some best so
    /// far (a superset of those within the band of the final best).
    private(set) var best = Double.infinity
    private(set) var candidateCount = 0
    private var limit = Double.infinity

    init(depth: Int, value: UnsafePointer<Double>, firstChild: UnsafePointer<Int32>, childEnd: UnsafePointer<Int32>,
         remaining: UnsafeMutablePointer<Int32>, exponents: UnsafePointer<Int>, query: UnsafePointer<Double>,
         candidateDifference: UnsafeMutablePointer<Double>, candidateClass: UnsafeMutablePointer<Int32>) {
        self.depth = depth
        self.value = value
        self.firstChild = firstChild
        self.childEnd = childEnd
        self.remaining = remaining
        self.exponents = exponents
        self.query = query
        self.candidateDifference = candidateDifference
        self.candidateClass = candidateClass
    }

    mutating func run(roots: Int) {
        best = .infinity
        limit = .infinity
        candidateCount = 0
        search(level: 0, first: 0, end: roots, partial: 0)
    }

    /// Visits the children `first..<end` at `level` from the value nearest the query's outwards; a side stops at the
    /// first child whose difference so far exceeds the tie band of the best, as every farther one does too. The sum is
    /// accumulated position by position as the reference does, so differences are bit-identical to it.
    private mutating func search(level: Int, first: Int, end: Int, partial: Double) {
        let target = query[level]
        var low = first, high = end
        while low < high {
            let middle = (low + high) / 2
            if value[middle] < target { low = middle + 1 } else { high = middle }
        }
        var left = low - 1, right = low
        let exponent = exponents[level]
        while left >= first || right < end {
            let node: Int
            let gap: Double
            let goingLeft: Bool
            if right >= end || (left >= first && target - value[left] <= value[right] - target) {
                node = left
                gap = target - value[left]
                goingLeft = true
                left -= 1
            } else {
                node = right
                gap = value[right] - target
                goingLeft = false
                right += 1
            }
            var power = gap
            var times = exponent - 1
            while times > 0 {
                power *= gap
                times -= 1
            }
            let bound = partial + power
            if bound > limit {
                if goingLeft { left = first - 1 } else { right = end }
                continue
            }
            if remaining[node] == 0 { continue }
            if level == depth {
                if bound < best {
                    best = bound
                    limit = WalkSignature.tieBand(bound)
                }
                candidateDifference[candidateCount] = bound
                candidateClass[candidateCount] = firstChild[node]
                candidateCount += 1
            } else {
                search(level: level + 1, first: Int(firstChild[node]), end: Int(childEnd[node]), partial: bound)
            }
        }
    }
}

/// Collects the compressed signatures node by node.
private struct Builder {
    let width: Int
    var walkTotal: [Int] = []
    var classStart = [0]
    var classValues: [Double] = []
    var occurrenceStart = [0]
    var occurrences: [Int32] = []
    var runStart = [0]
    var runClass: [Int32] = []
    var runLength: [Int32] = []
    var trieStart = [0]
    var trieRoots: [Int32] = []
    var trieValue: [Double] = []
    var trieFirstChild: [Int32] = []
    var trieChildEnd: [Int32] = []
    var trieParent: [Int32] = []
    var trieCount: [Int32] = []

    init(width: Int) { self.width = width }

    /// Adds the next node's walks (`width` values each, in walk order).
    mutating func add(_ walks: [Double]) {
        let width = self.width
        let count = walks.count / width
        precondition(count < Int(Int32.max), "a node has more walks than 32-bit positions hold; lower the hub cap")
        walkTotal.append(count)
        func less(_ a: Int, _ b: Int) -> Bool {
            for k in 0..<width where walks[a * width + k] != walks[b * width + k] {
                return walks[a * width + k] < walks[b * width + k]
            }
            return a < b
        }
        func same(_ a: Int, _ b: Int) -> Bool {
            (0..<width).allSatisfy { walks[a * width + $0] == walks[b * width + $0] }
        }
        let order = (0..<count).sorted(by: less)
        var classOfWalk = [Int32](repeating: 0, count: count)
        var representatives = [Int]()
        var classSizes = [Int32]()
        for (rank, walk) in order.enumerated() {
            if rank == 0 || !same(order[rank - 1], walk) {
                representatives.append(walk)
                classSizes.append(0)
                classValues.append(contentsOf: walks[walk * width..<(walk + 1) * width])
            }
            classOfWalk[walk] = Int32(representatives.count - 1)
            classSizes[classSizes.count - 1] += 1
            occurrences.append(Int32(walk))
        }
        for size in classSizes { occurrenceStart.append(occurrenceStart.last! + Int(size)) }
        classStart.append(classStart.last! + representatives.count)
        for walk in 0..<count {
            if walk > 0 && classOfWalk[walk] == classOfWalk[walk - 1] {
                runLength[runLength.count - 1] += 1
            } else {
                runClass.append(classOfWalk[walk])
                runLength.append(1)
            }
        }
        runStart.append(runClass.count)
        addTrie(representatives: representatives, sizes: classSizes, walks: walks)
    }

    /// Level `k` groups the classes (sorted) by their first `k + 1` components; the last level has one class each.
    private mutating func addTrie(representatives: [Int], sizes: [Int32], walks: [Double]) {
        let classes = representatives.count
        let base = trieValue.count
        func component(_ cls: Int, _ k: Int) -> Double { walks[representatives[cls] * width + k] }
        var boundary = [Bool](repeating: false, count: classes)
        if classes > 0 { boundary[0] = true }
        var levels = [[Int]]()
        for k in 0..<width {
            var starts = [Int]()
            for cls in 0..<classes {
                if cls > 0 && component(cls, k) != component(cls - 1, k) { boundary[cls] = true }
                if boundary[cls] { starts.append(cls) }
            }
            levels.append(starts)
        }
        var levelOffset = [0]
        for starts in levels { levelOffset.append(levelOffset.last! + starts.count) }
        for k in 0..<width {
            let starts = levels[k]
            var parentIndex = 0
            var childIndex = 0
            for (index, start) in starts.enumerated() {
                let end = index + 1 < starts.count ? starts[index + 1] : classes
                trieValue.append(component(start, k))
                trieCount.append(sizes[start..<end].reduce(0, +))
                if k == 0 {
                    trieParent.append(-1)
                } else {
                    let above = levels[k - 1]
                    while parentIndex + 1 < above.count && above[parentIndex + 1] <= start { parentIndex += 1 }
                    trieParent.append(Int32(levelOffset[k - 1] + parentIndex))
                }
                if k == width - 1 {
                    trieFirstChild.append(Int32(start))
                    trieChildEnd.append(Int32(start + 1))
                } else {
                    let below = levels[k + 1]
                    let firstChild = childIndex
                    while childIndex < below.count && below[childIndex] < end { childIndex += 1 }
                    trieFirstChild.append(Int32(levelOffset[k + 1] + firstChild))
                    trieChildEnd.append(Int32(levelOffset[k + 1] + childIndex))
                }
            }
        }
        trieRoots.append(Int32(levels.first?.count ?? 0))
        trieStart.append(base + levelOffset.last!)
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

    /// Prepares the distance of `graph`'s nodes (for the directed variant, `graph` holds the arcs); `hubCap` as in
    /// ``WalkSignature/init(graph:depth:completeWalksOnly:hubCap:)``.
    public init(graph: AdjacencyGraph, depth: Int, directed: Bool, hubCap: Int? = WalkSignature.defaultHubCap) {
        nodeCount = graph.nodeCount
        if directed {
            signatures = [graph, graph.reversed()].map {
                WalkSignature(graph: $0, depth: depth, completeWalksOnly: false, hubCap: hubCap)
            }
        } else {
            signatures = [WalkSignature(graph: graph, depth: depth, hubCap: hubCap)]
        }
    }

    /// Convenience: from an edge list, treating `(a, b)` as an undirected edge or, with `directed`, an arc a → b.
    public init(nodeCount: Int, edges: [(Int, Int)], depth: Int, directed: Bool,
                hubCap: Int? = WalkSignature.defaultHubCap) {
        let graph = directed ? AdjacencyGraph(nodeCount: nodeCount, arcs: edges)
            : AdjacencyGraph.undirected(nodeCount: nodeCount, edges: edges)
        self.init(graph: graph, depth: depth, directed: directed, hubCap: hubCap)
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

    /// Called now and then during a long computation with the distances done so far and the total; from any thread.
    public typealias Progress = @Sendable (_ done: Int, _ total: Int) -> Void

    /// The distance from `node` to every other node, sorted by distance then node (pairs with `a` = `node`), split
    /// over the available cores.
    public func distances(from node: Int, progress: Progress? = nil) -> [Pair] {
        let others = (0..<nodeCount).filter { $0 != node }
        let results = DistanceMatrix(count: others.count, rowsOnly: true)
        let counter = ProgressCounter(total: others.count, progress: progress)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, others.count))
        let chunk = 64
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var scratch = signatures.map { _ in WalkSignature.Scratch() }
            var start = worker * chunk
            while start < others.count {
                let end = min(start + chunk, others.count)
                for index in start..<end {
                    var total = 0.0
                    for (which, signature) in signatures.enumerated() {
                        total += signature.distance(node, others[index], scratch: &scratch[which])
                    }
                    results.set(index, total)
                }
                counter.add(end - start)
                start += workers * chunk
            }
        }
        var pairs = others.indices.map { Pair(a: node, b: others[$0], distance: results.get($0)) }
        pairs.sort { ($0.distance, $0.b) < ($1.distance, $1.b) }
        return pairs
    }

    /// Every pair's distance, sorted by distance then `a` then `b`.
    ///
    /// Distances are computed once per pair of distinct signature classes, split over the available cores;
    /// `progress` counts class pairs.
    public func allPairs(progress: Progress? = nil) -> [Pair] {
        let classes = signatureClasses()
        let count = classes.count
        let representatives = classes.map { $0[0] }
        // Upper triangle of the class distance matrix, row-major; each row written by exactly one worker.
        let matrix = DistanceMatrix(count: count)
        let counter = ProgressCounter(total: count * (count - 1) / 2, progress: progress)
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
                counter.add(count - row - 1)
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

/// Counts work done across workers and passes the running total to a progress callback.
final class ProgressCounter: Sendable {
    private let done = Atomic<Int>(0)
    private let total: Int
    private let progress: WalkSignatureSimilarity.Progress?

    init(total: Int, progress: WalkSignatureSimilarity.Progress?) {
        self.total = total
        self.progress = progress
    }

    func add(_ count: Int) {
        guard let progress else { return }
        // Relaxed: the count is only reported, nothing is published through it.
        let now = done.add(count, ordering: .relaxed).newValue
        progress(now, total)
    }
}

/// A triangular matrix of distances (or, `rowsOnly`, a vector of them) written concurrently.
final class DistanceMatrix: @unchecked Sendable {
    // @unchecked: workers write disjoint elements through the raw pointer, and every write finishes before any read
    // (concurrentPerform returns only when all workers are done).
    private let storage: UnsafeMutableBufferPointer<Double>
    private let count: Int

    init(count: Int, rowsOnly: Bool = false) {
        self.count = count
        storage = .allocate(capacity: max(1, rowsOnly ? count : count * (count - 1) / 2))
        storage.initialize(repeating: 0)
    }

    deinit { storage.deallocate() }

    private func index(_ row: Int, _ column: Int) -> Int {
        row * count - row * (row + 1) / 2 + (column - row - 1)
    }

    func set(_ row: Int, _ column: Int, _ value: Double) { storage[index(row, column)] = value }
    func get(_ row: Int, _ column: Int) -> Double { storage[index(row, column)] }
    func set(_ index: Int, _ value: Double) { storage[index] = value }
    func get(_ index: Int) -> Double { storage[index] }
}
