import ArgumentParser
import Detection
import Foundation

/// `coinsentry crossvalidate`: held-out evaluation of the training procedure, as a Markdown table.
struct CrossValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crossvalidate",
        abstract: "Evaluate the training procedure on held-out data: a time split or leave-one-trace-out.",
        discussion: """
            time: one model on the earlier part of every trace, tested on the later parts after a gap of one window. \
            trace: for each trace, a model trained on every trace sharing no source with it, tested on all of it.
            """)

    enum Split: String, ExpressibleByArgument, CaseIterable {
        case time, trace
    }

    @OptionGroup var model: ModelOptionGroup

    @Option(help: "time or trace.")
    var split: Split = .time

    @Option(name: .customLong("train-fraction"), help: "Share of each trace that trains (time split).")
    var trainFraction = 0.7

    @Option(name: .customLong("test-only"), help: "Leave-one-out tests only traces whose name contains this.")
    var testOnly: [String] = []

    @Flag(help: "Print the pooled figures as one JSON object instead of Markdown.")
    var json = false

    func run() throws {
        let data = try model.loadData()
        let results: [CrossValidation.TraceResult]
        switch split {
        case .time:
            results = try CrossValidation.timeSplit(
                data, options: model.options, trainFraction: trainFraction,
                traceIntervalSeconds: model.traceInterval).results
        case .trace:
            results = try CrossValidation.leaveOneTraceOut(
                data, options: model.options, traceIntervalSeconds: model.traceInterval,
                testing: { trace in testOnly.isEmpty || testOnly.contains { trace.name.contains($0) } },
                progress: Progress.line)
        }
        let pooled = CrossValidation.summarize(results)
        if json {
            print(try Report.json(["windows": pooled.windows, "voted": pooled.voted]))
            return
        }
        print("| trace | class | windows | window acc. | voted acc. | first mining verdict |")
        print("| --- | --- | ---: | ---: | ---: | ---: |")
        for result in results {
            let evaluation = result.evaluation
            print("| \(result.name) | \(result.isMining ? "mining" : "normal") | \(evaluation.windows.total) | "
                + "\(Report.number(evaluation.windows.accuracy, digits: 3)) | "
                + "\(Report.number(evaluation.voted.accuracy, digits: 3)) | "
                + "\(evaluation.latencySeconds.map { "\(Int($0)) s" } ?? "never") |")
        }
        print("")
        print("pooled windows: \(Report.rates(pooled.windows))")
        print("pooled voted:   \(Report.rates(pooled.voted))")
        print("median latency (mining traces flagged): "
            + (pooled.medianLatencySeconds.map { "\(Int($0)) s" } ?? "none flagged"))
    }
}
