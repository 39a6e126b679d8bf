import ChainAnalysis
import Foundation

/// The walk-signature distance as first shipped: every walk of every node stored, each walk of one node compared
/// with every walk of the other. It computes the published definition (no hub cap) and is what ``WalkSignature``'s
/// compressed signatures are checked against, and the similarity benchmark's anchor.
public struct ReferenceWalkSignature: Sendable {
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
