import Foundation

/// A graph on nodes `0..<nodeCount` in compressed sparse row form: each node's neighbours in one shared array,
/// sorted ascending, duplicates removed.
public struct AdjacencyGraph: Sendable {
    /// Number of nodes.
    public let nodeCount: Int
    /// `offsets[u]..<offsets[u + 1]` indexes `u`'s neighbours in `targets`.
    public let offsets: [Int]
    /// Neighbour lists, concatenated.
    public let targets: [Int32]

    /// Builds the graph from directed pairs `(from, to)`; every node id must be in `0..<nodeCount`.
    public init(nodeCount: Int, arcs: [(Int, Int)]) {
        precondition(nodeCount < Int(Int32.max), "node ids must fit in 32 bits")
        var counts = [Int](repeating: 0, count: nodeCount + 1)
        for (from, _) in arcs { counts[from + 1] += 1 }
        for index in 0..<nodeCount { counts[index + 1] += counts[index] }
        var fill = counts
        var raw = [Int32](repeating: 0, count: arcs.count)
        for (from, to) in arcs {
            raw[fill[from]] = Int32(to)
            fill[from] += 1
        }
        var offsets = [Int](repeating: 0, count: nodeCount + 1)
        var targets = [Int32]()
        targets.reserveCapacity(arcs.count)
        for node in 0..<nodeCount {
            var list = raw[counts[node]..<counts[node + 1]].sorted()
            var previous: Int32 = -1
            list.removeAll { value in
                defer { previous = value }
                return value == previous
            }
            targets.append(contentsOf: list)
            offsets[node + 1] = targets.count
        }
        self.nodeCount = nodeCount
        self.offsets = offsets
        self.targets = targets
    }

    /// Undirected graph: each edge `{a, b}` gives both arcs.
    public static func undirected(nodeCount: Int, edges: [(Int, Int)]) -> AdjacencyGraph {
        AdjacencyGraph(nodeCount: nodeCount, arcs: edges.flatMap { [($0.0, $0.1), ($0.1, $0.0)] })
    }

    /// Number of neighbours of `node`.
    @inline(__always)
    public func degree(_ node: Int) -> Int { offsets[node + 1] - offsets[node] }

    /// The neighbours of `node`, ascending.
    public func neighbours(_ node: Int) -> ArraySlice<Int32> { targets[offsets[node]..<offsets[node + 1]] }

    /// The graph with every arc reversed.
    public func reversed() -> AdjacencyGraph {
        var arcs = [(Int, Int)]()
        arcs.reserveCapacity(targets.count)
        for node in 0..<nodeCount {
            for index in offsets[node]..<offsets[node + 1] { arcs.append((Int(targets[index]), node)) }
        }
        return AdjacencyGraph(nodeCount: nodeCount, arcs: arcs)
    }
}

/// Reads edge lists: one `a b` pair of non-negative integer node ids per line; blank lines and lines starting with
/// `#` are skipped.
public enum EdgeListParser {
    /// An edge list that could not be read, with the line it failed on.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        /// Source name (file path).
        public var source: String
        /// 1-based line number.
        public var line: Int
        /// What is wrong.
        public var message: String
        public var description: String { "\(source):\(line): \(message)" }
    }

    /// Parses `text`; `source` names it in errors. Returns the edges and the node count (largest id + 1).
    public static func parse(_ text: String, source: String) throws -> (edges: [(Int, Int)], nodeCount: Int) {
        var edges = [(Int, Int)]()
        var largest = -1
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
            guard fields.count == 2, let a = Int(fields[0]), let b = Int(fields[1]), a >= 0, b >= 0 else {
                throw ParseError(source: source, line: lineNumber,
                                 message: "expected two non-negative integer node ids, found '\(trimmed)'")
            }
            guard a < Int(Int32.max), b < Int(Int32.max) else {
                throw ParseError(source: source, line: lineNumber, message: "node id too large")
            }
            edges.append((a, b))
            largest = max(largest, a, b)
        }
        return (edges, largest + 1)
    }
}
