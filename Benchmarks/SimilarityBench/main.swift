import ChainAnalysis
import ChainTestSupport
import Foundation
import Randomness

// Walk-signature similarity on generated address-like graphs with a hub (ChainTestSupport.HubGraph): distances from
// one node on 3,386 nodes with a 1,253-neighbour hub, and all pairs on 1,013 nodes with a hub of the same share.
// Each time is printed in seconds and as a ratio to an anchor measured in the same run: the first algorithm
// (ReferenceWalkSignature), all pairs of a uniform random graph of 1,013 nodes and as many edges, no hubs.
// usage: coinsentry-bench-similarity [--depth N] [--hub-cap C] [--write DIR] (DIR: the graphs as edge lists)

var depth = 2
var hubCap = WalkSignature.defaultHubCap
var writeDirectory: String?
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--depth": depth = Int(arguments.next() ?? "") ?? depth
    case "--hub-cap": hubCap = Int(arguments.next() ?? "") ?? hubCap
    case "--write": writeDirectory = arguments.next()
    default:
        let usage = "usage: coinsentry-bench-similarity [--depth N] [--hub-cap C] [--write DIR]\n"
        FileHandle.standardError.write(Data(usage.utf8))
        exit(2)
    }
}

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func cpuName() -> String {
    let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let model = text.split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last
    return model.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
}

func peakResidentMiB() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss / 1024
}

@MainActor func write(_ edges: [(Int, Int)], _ name: String) {
    guard let writeDirectory else { return }
    let text = edges.map { "\($0.0) \($0.1)\n" }.joined()
    guard FileManager.default.createFile(atPath: writeDirectory + "/" + name, contents: Data(text.utf8)) else {
        FileHandle.standardError.write(Data("cannot write \(writeDirectory)/\(name)\n".utf8))
        exit(1)
    }
}

let large = 3_386, largeHub = 1_253
let small = 1_013, smallHub = small * largeHub / large
let largeEdges = HubGraph.edges(nodes: large, hubDegree: largeHub, seed: 1)
let smallEdges = HubGraph.edges(nodes: small, hubDegree: smallHub, seed: 2)
var random = SplitMix64(seed: 3)
var uniformSet = Set<Int>()
while uniformSet.count < smallEdges.count {
    let a = Int(random.next() % UInt64(small)), b = Int(random.next() % UInt64(small))
    if a != b { uniformSet.insert(min(a, b) * small + max(a, b)) }
}
let uniformEdges = uniformSet.sorted().map { ($0 / small, $0 % small) }
write(largeEdges, "hub-\(large).txt")
write(smallEdges, "hub-\(small).txt")
write(uniformEdges, "uniform-\(small).txt")

let largeGraph = AdjacencyGraph.undirected(nodeCount: large, edges: largeEdges)
let smallGraph = AdjacencyGraph.undirected(nodeCount: small, edges: smallEdges)
let uniformGraph = AdjacencyGraph.undirected(nodeCount: small, edges: uniformEdges)
func describe(_ graph: AdjacencyGraph, _ edges: Int) -> String {
    let degrees = (0..<graph.nodeCount).map(graph.degree).sorted(by: >)
    return "\(graph.nodeCount) nodes, \(edges) edges, degrees \(degrees[0]) (hub), \(degrees[1]), \(degrees[2]) ..."
        + " \(degrees.filter { $0 <= 2 }.count) nodes of degree 1 or 2"
}

print("machine: \(cpuName()), \(ProcessInfo.processInfo.activeProcessorCount) cores")
print("depth \(depth), hub cap \(hubCap)")
print("graph A (--from): \(describe(largeGraph, largeEdges.count))")
print("graph B (all pairs): \(describe(smallGraph, smallEdges.count))")
print("anchor graph: uniform random, \(small) nodes, \(uniformEdges.count) edges, max degree "
      + "\((0..<small).map(uniformGraph.degree).max()!)")

// Anchor: the first algorithm, all pairs of the hub-free graph, on every core.
let anchor = seconds {
    let reference = ReferenceWalkSignature(graph: uniformGraph, depth: depth)
    let workers = ProcessInfo.processInfo.activeProcessorCount
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        var scratch = ReferenceWalkSignature.Scratch()
        var sink = 0.0
        for u in stride(from: worker, to: small, by: workers) {
            for v in u + 1..<small { sink += reference.distance(u, v, scratch: &scratch) }
        }
        if sink.isNaN { print("unexpected NaN") }
    }
}
print(String(format: "anchor (first algorithm, all pairs, uniform graph): %.3f s", anchor))

func report(_ label: String, _ time: Double) {
    print(String(format: "%@: %.3f s, %.2f × anchor", label, time, time / anchor))
}

var similarity: WalkSignatureSimilarity?
report("A: walk signatures", seconds {
    similarity = WalkSignatureSimilarity(graph: largeGraph, depth: depth, directed: false, hubCap: hubCap)
})
let signatures = WalkSignature(graph: largeGraph, depth: depth, hubCap: hubCap)
let busiest = (1..<large).max { signatures.walkCount($0) < signatures.walkCount($1) }!
var worst = (node: 0, time: 0.0)
var total = 0.0
var sampled = [0, busiest]
var pick = SplitMix64(seed: 4)
while sampled.count < 12 { sampled.append(Int(pick.next() % UInt64(large))) }
for node in sampled {
    let time = seconds { _ = similarity!.distances(from: node) }
    total += time
    if time > worst.time { worst = (node, time) }
}
report("A: --from the hub (node 0, \(signatures.walkCount(0)) walks)", seconds { _ = similarity!.distances(from: 0) })
report("A: --from the node with most walks besides (\(busiest), \(signatures.walkCount(busiest)) walks)",
       seconds { _ = similarity!.distances(from: busiest) })
report("A: --from, slowest of \(sampled.count) nodes (hub, that node, 10 at random; node \(worst.node))", worst.time)
report("A: --from, mean of those", total / Double(sampled.count))
report("B: walk signatures and all pairs", seconds {
    let pairs = WalkSignatureSimilarity(graph: smallGraph, depth: depth, directed: false, hubCap: hubCap).allPairs()
    if pairs.isEmpty { print("no pairs") }
})
print("peak resident memory of the whole run: \(peakResidentMiB()) MiB")
