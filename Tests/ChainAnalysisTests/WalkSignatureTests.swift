import Foundation
import Randomness
import Testing
@testable import ChainAnalysis

/// The published example: read from `../shared/data/graph/walk-signature-example.json` at test time.
struct PublishedExample {
    let nodes: Int
    let edges: [(Int, Int)]
    let depth: Int
    let expected: [(Int, Int, Double)]

    static let path: String = {
        if let override = ProcessInfo.processInfo.environment["COINSENTRY_SHARED_DATA"] {
            return override + "/graph/walk-signature-example.json"
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/data/graph/walk-signature-example.json").path
    }()

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: path) }

    static func load() throws -> PublishedExample {
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let edges = try #require(json["edges"] as? [[Int]]).map { ($0[0], $0[1]) }
        let expected = try #require(json["expected_sorted_pairs"] as? [[NSNumber]]).map {
            ($0[0].intValue, $0[1].intValue, $0[2].doubleValue)
        }
        return PublishedExample(nodes: try #require(json["nodes"] as? Int), edges: edges,
                                depth: try #require(json["depth"] as? Int), expected: expected)
    }
}

/// Formats like the published listing: 12 significant digits.
func published(_ value: Double) -> String { String(format: "%.12g", value) }

@Suite("Walk-signature similarity")
struct WalkSignatureTests {
    @Test(.enabled(if: PublishedExample.isAvailable, "needs ../shared/data/graph"))
    func reproducesThePublishedExampleToItsDigits() throws {
        let example = try PublishedExample.load()
        #expect(example.expected.count == 20)
        let similarity = WalkSignatureSimilarity(nodeCount: example.nodes, edges: example.edges, depth: example.depth,
                                                 directed: false)
        let pairs = similarity.allPairs()
        #expect(pairs.count == example.nodes * (example.nodes - 1) / 2)
        for (index, (a, b, distance)) in example.expected.enumerated() {
            let pair = pairs[index]
            #expect(pair.a == a && pair.b == b, "position \(index): got \(pair.a)-\(pair.b), published \(a)-\(b)")
            #expect(published(pair.distance) == published(distance), "\(a)-\(b): \(pair.distance)")
            #expect(published(similarity.distance(a, b)) == published(distance))
        }
        // The listing stops after the first value above 2: everything after it is larger.
        let listed = example.expected.count
        #expect(pairs[listed - 1].distance > 2)
        #expect(pairs[listed - 2].distance <= 2)
    }

    @Test func isolatedNodesAreAtZeroFromEachOtherAndInfinityFromTheRest() {
        let similarity = WalkSignatureSimilarity(nodeCount: 4, edges: [(0, 1)], depth: 2, directed: false)
        #expect(similarity.distance(2, 3) == 0)
        #expect(similarity.distance(0, 2) == .infinity)
        #expect(similarity.distance(0, 1) == 0)
    }

    @Test func distanceIsSymmetricAndZeroOnItself() {
        let edges = [(0, 1), (1, 2), (2, 3), (3, 0), (0, 2), (4, 0), (5, 4)]
        let similarity = WalkSignatureSimilarity(nodeCount: 6, edges: edges, depth: 3, directed: false)
        for u in 0..<6 {
            #expect(similarity.distance(u, u) == 0)
            for v in 0..<6 { #expect(similarity.distance(u, v) == similarity.distance(v, u)) }
        }
    }

    @Test func depthChangesTheDistance() {
        let edges = [(0, 1), (1, 2), (2, 3), (3, 4), (1, 5)]
        let shallow = WalkSignatureSimilarity(nodeCount: 6, edges: edges, depth: 1, directed: false)
        let deep = WalkSignatureSimilarity(nodeCount: 6, edges: edges, depth: 3, directed: false)
        // Ends 0 and 4 look alike one step out (a degree-1 node next to a degree-2 or 3 node) but differ deeper.
        #expect(shallow.distance(0, 4) != deep.distance(0, 4))
        // depth 1 by hand: walks (1,3) from 0 and (1,2) from 4: |ln 1 - ln 1|^2 + |ln 3 - ln 2|^1, squared.
        #expect(abs(shallow.distance(0, 4) - pow(log(3.0 / 2.0), 2)) < 1e-15)
    }

    @Test func directedVariantSumsOutAndInSignatures() {
        // A star paying out (0 -> 1, 2, 3) versus a star collecting (4, 5, 6 -> 7).
        let arcs = [(0, 1), (0, 2), (0, 3), (4, 7), (5, 7), (6, 7)]
        let directed = WalkSignatureSimilarity(nodeCount: 8, edges: arcs, depth: 2, directed: true)
        let undirected = WalkSignatureSimilarity(nodeCount: 8, edges: arcs, depth: 2, directed: false)
        #expect(undirected.distance(0, 7) == 0, "undirected, the two stars are identical")
        #expect(directed.distance(0, 7) > 0, "directed, paying out and collecting differ")
        #expect(directed.distance(1, 2) == 0)
        #expect(directed.distance(0, 7).isFinite && directed.distance(1, 4).isFinite)
        let out = WalkSignature(graph: AdjacencyGraph(nodeCount: 8, arcs: arcs), depth: 2, completeWalksOnly: false)
        let incoming = WalkSignature(graph: AdjacencyGraph(nodeCount: 8, arcs: arcs).reversed(), depth: 2,
                                     completeWalksOnly: false)
        #expect(directed.distance(0, 7) == out.distance(0, 7) + incoming.distance(0, 7))
    }

    @Test func classesOfIdenticalSignaturesGiveTheSamePairsAsDirectComputation() {
        var generator = SplitMix64(seed: 42)
        let edges = (0..<120).map { _ in (Int(generator.next() % 60), Int(generator.next() % 60)) }
        let similarity = WalkSignatureSimilarity(nodeCount: 60, edges: edges, depth: 2, directed: false)
        for pair in similarity.allPairs() {
            let direct = similarity.distance(pair.a, pair.b)
            #expect(pair.distance == direct || (pair.distance.isInfinite && direct.isInfinite))
        }
    }

    @Test func distancesFromOneNodeAgreeWithAllPairs() {
        var generator = SplitMix64(seed: 9)
        let edges = (0..<80).map { _ in (Int(generator.next() % 40), Int(generator.next() % 40)) }
        let similarity = WalkSignatureSimilarity(nodeCount: 40, edges: edges, depth: 2, directed: true)
        let all = similarity.allPairs()
        let fromSeven = similarity.distances(from: 7)
        #expect(fromSeven.count == 39)
        for pair in fromSeven {
            let match = all.first { ($0.a, $0.b) == (min(7, pair.b), max(7, pair.b)) }
            #expect(match?.distance == pair.distance)
        }
        #expect(zip(fromSeven, fromSeven.dropFirst()).allSatisfy { $0.distance <= $1.distance })
    }

    @Test func edgeListErrorsNameTheLine() {
        #expect(throws: EdgeListParser.ParseError.self) {
            _ = try EdgeListParser.parse("0 1\n# comment\n2 x\n", source: "edges.txt")
        }
        do {
            _ = try EdgeListParser.parse("0 1\n\n2 -3\n", source: "edges.txt")
        } catch {
            #expect("\(error)".hasPrefix("edges.txt:3:"))
        }
        let parsed = try? EdgeListParser.parse("0 1\n 4\t2 \n", source: "e")
        #expect(parsed?.nodeCount == 5)
    }
}
