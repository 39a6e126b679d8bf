import ArgumentParser
import Traces

/// `coinsentry merge`: traffic mixes from traces.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Sum traces element-wise, cut to the shortest, as Nypto built its traffic mixes.",
        discussion: "Example: coinsentry merge mining.dat netflix.dat -o mining_netflix.dat"
    )

    @Argument(help: "Two or more trace files.")
    var traces: [String]

    @Option(name: .shortAndLong, help: "The trace file to write.")
    var output: String

    func validate() throws {
        guard traces.count >= 2 else { throw ValidationError("name at least two traces to merge") }
    }

    func run() throws {
        // Row width does not matter for an element-wise sum; every input is read at the same nominal width.
        let merged = try Trace.merge(try traces.map { try TraceFile.read($0, interval: 1) })
        try TraceFile.write(merged, to: output)
    }
}
