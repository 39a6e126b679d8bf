import ArgumentParser
import ChainAnalysis
import ChainStore
import Foundation

/// `coinsentry chain graph`: the stored transaction graph as an edge list and an id → address map.
struct ChainGraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Export the transaction graph that similarity and patterns compute on.",
        discussion: """
            Nodes are the addresses seen in the blocks, numbered from 0 in order of first appearance; each \
            transaction draws an arc from every address it spends from to every other address it pays (coinbase \
            payees are nodes without arcs; bare multisig outputs, which have no single owner, are not drawn). \
            EDGES gets one 'sender receiver' pair of ids per line after a '#' comment line, the format \
            'coinsentry chain similarity --edges' reads; the map file gets 'id address' per line, ids in order. \
            The blocks are the --window-blocks N ending at the tip (or starting at --from-height), as one window \
            of 'coinsentry chain patterns', or every stored block from --from-height without --window-blocks.
            """)

    @OptionGroup var database: ChainDatabaseOptions

    @Option(name: .customLong("window-blocks"), help: "Blocks in the graph (default: every stored block).")
    var windowBlocks: Int?

    @Option(name: .customLong("from-height"), help: "First height in the graph (default: see above).")
    var fromHeight: Int?

    @Option(name: .shortAndLong, help: "Edge list file to write.")
    var output: String

    @Option(help: "Id-to-address map file to write (default: EDGES.addresses).")
    var addresses: String?

    func validate() throws {
        if let windowBlocks, windowBlocks < 1 { throw ValidationError("--window-blocks must be at least 1") }
    }

    func run() async throws {
        let store = try await database.openStore()
        guard let tip = try await store.tip(), let lowest = try await store.lowestHeight() else {
            throw ValidationError("the chain database holds no blocks")
        }
        var first = fromHeight ?? windowBlocks.map { tip.height - $0 + 1 } ?? lowest
        first = max(first, lowest)
        let last = windowBlocks.map { min(tip.height, first + $0 - 1) } ?? tip.height
        guard first <= last else {
            throw ValidationError("--from-height \(first) is above the stored tip \(tip.height)")
        }
        let graph = TransactionGraph(flows: try await store.flows(heights: first...last))
        let mapPath = addresses ?? output + ".addresses"
        var edges = "# transaction graph of heights \(first)-\(last): sender receiver; addresses in \(mapPath)\n"
        for (sender, receiver) in graph.arcs { edges += "\(sender) \(receiver)\n" }
        var map = ""
        for (id, address) in graph.addresses.enumerated() { map += "\(id) \(address)\n" }
        for (path, text) in [(output, edges), (mapPath, map)] {
            do {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw ValidationError("cannot write \(path): \(error.localizedDescription)")
            }
        }
        printError("heights \(first)-\(last): \(graph.addresses.count) addresses, \(graph.arcs.count) arcs "
                   + "-> \(output), \(mapPath)")
    }
}
