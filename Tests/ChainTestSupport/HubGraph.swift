import Foundation
import Randomness

/// Random undirected graphs shaped like address graphs: a power-law degree distribution (most addresses seen once or
/// twice, a few busy ones) plus one hub, an exchange or pool linked to a large share of the addresses.
public enum HubGraph {
    /// The edges (each `a < b` once, sorted) of a simple graph on `nodes` nodes: nodes 1 and up draw degrees from
    /// `P(d) ∝ d^-exponent` for `d` in `1...maximumDegree` (default `nodes / 20`), paired at random (configuration
    /// model; self-loops and repeated pairs dropped); node 0, the hub, is then joined to `hubDegree` of them chosen at
    /// random, so its degree is exactly `hubDegree`.
    public static func edges(nodes: Int, hubDegree: Int, exponent: Double = 2.2, maximumDegree: Int? = nil,
                             seed: UInt64) -> [(Int, Int)] {
        precondition(nodes >= 2 && hubDegree < nodes, "the hub's neighbours are other nodes")
        var random = SplitMix64(seed: seed)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        let cap = maximumDegree ?? max(2, nodes / 20)
        let weights = (1...cap).map { pow(Double($0), -exponent) }
        let total = weights.reduce(0, +)
        var stubs = [Int]()
        for node in 1..<nodes {
            var draw = uniform() * total
            var degree = 1
            while degree < cap && draw >= weights[degree - 1] {
                draw -= weights[degree - 1]
                degree += 1
            }
            stubs.append(contentsOf: repeatElement(node, count: degree))
        }
        shuffle(&stubs, &random)
        var pairs = Set<Int>()
        func add(_ a: Int, _ b: Int) {
            if a != b { pairs.insert(min(a, b) * nodes + max(a, b)) }
        }
        for index in stride(from: 0, to: stubs.count - 1, by: 2) { add(stubs[index], stubs[index + 1]) }
        var others = Array(1..<nodes)
        shuffle(&others, &random)
        for other in others.prefix(hubDegree) { add(0, other) }
        return pairs.sorted().map { ($0 / nodes, $0 % nodes) }
    }

    /// Fisher–Yates with the given generator, so the graph is the same on every platform.
    private static func shuffle(_ values: inout [Int], _ random: inout SplitMix64) {
        guard values.count > 1 else { return }
        for index in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(index, Int(random.next() % UInt64(index + 1)))
        }
    }
}
