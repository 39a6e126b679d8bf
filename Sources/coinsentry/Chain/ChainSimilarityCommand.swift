import ArgumentParser
import ChainAnalysis
import Foundation

/// `coinsentry chain similarity`: walk-signature distance of every node pair of an edge list.
struct ChainSimilarityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity",
        abstract: "Walk-signature distance (BlockNinjas) of every node pair, sorted ascending.",
        discussion: """
            The edge list has one 'a b' pair of integer node ids per line; nodes are 0 to the largest id. Output: \
            'a b distance' per line (12 significant digits, 'inf' for an infinite distance), or with --json an array \
            of {"a": i, "b": j, "distance": d} with i < j and null for an infinite distance. Walks leave a node of \
            degree above --hub-cap through that many of its neighbours only (evenly spaced by their degree); graphs \
            without such hubs get the published distances exactly. Progress is shown on standard error when it is a \
            terminal.
            """)

    @Option(help: "Edge list file.")
    var edges: String

    @Option(help: "Walk length in steps.")
    var depth: Int = 2

    @Flag(help: "Treat each line 'a b' as an arc a -> b and sum the out- and in-degree signatures' distances.")
    var directed = false

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: "Only the distances from this node to every other (then 'a' is this node, not the smaller id).")
    var from: Int?

    @Option(help: ArgumentHelp(
        "Walk through at most this many neighbours of a node of higher degree (0: every neighbour, the published "
            + "definition, whose work grows with the product of the degrees along the walks).",
        valueName: "degree"))
    var hubCap: Int = WalkSignature.defaultHubCap

    func validate() throws {
        guard depth >= 1 else { throw ValidationError("--depth must be at least 1") }
        guard hubCap >= 0 else { throw ValidationError("--hub-cap takes a degree, or 0 for no cap") }
        if let from, from < 0 { throw ValidationError("--from takes a node id") }
    }

    func run() throws {
        let text: String
        do {
            text = try String(contentsOfFile: edges, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read \(edges): \(error.localizedDescription)")
        }
        let (list, nodeCount) = try EdgeListParser.parse(text, source: edges)
        if let from, from >= nodeCount {
            throw ValidationError("--from \(from): the graph's nodes are 0...\(nodeCount - 1)")
        }
        let line = ProgressLine(label: "similarity")
        line.update("walk signatures of \(nodeCount) nodes")
        let similarity = WalkSignatureSimilarity(nodeCount: nodeCount, edges: list, depth: depth, directed: directed,
                                                 hubCap: hubCap == 0 ? nil : hubCap)
        let progress: WalkSignatureSimilarity.Progress = { done, total in
            line.update("\(done) of \(total) distances (\(total == 0 ? 100 : done * 100 / total)%)")
        }
        let pairs = from.map { similarity.distances(from: $0, progress: progress) }
            ?? similarity.allPairs(progress: progress)
        line.finish()
        var out = ""
        out.reserveCapacity(pairs.count * 24)
        if json {
            out += "["
            for (index, pair) in pairs.enumerated() {
                if index > 0 { out += "," }
                let distance = pair.distance.isFinite ? String(format: "%.17g", pair.distance) : "null"
                out += "{\"a\":\(pair.a),\"b\":\(pair.b),\"distance\":\(distance)}"
            }
            out += "]\n"
        } else {
            for pair in pairs {
                let distance = pair.distance.isFinite ? String(format: "%.12g", pair.distance) : "inf"
                out += "\(pair.a) \(pair.b) \(distance)\n"
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
