import ArgumentParser
import Detection
import DetectionTraining
import Foundation

/// `coinsentry crossvalidate`: held-out evaluation of the training procedure, as a Markdown table.
struct CrossValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crossvalidate",
        abstract: "Evaluate the training procedure on held-out data: a time split or leave-one-trace-out.",
        discussion: """
            time: one model on the earlier part of every trace, tested on the later parts after a gap of one window. \
            trace: for each trace, a model trained on every trace sharing no source with it, tested on all of it.

            With --multiclass (time split only), the class block is trained too and reported per class \
            (precision, recall), as confusion matrices and as macro precision/recall and accuracy, per window and \
            after the per-host class vote. Leave-one-trace-out cannot test a class whose only trace is held out, so \
            it is not offered for classes.

            Examples:
              coinsentry crossvalidate --data ../shared/data/nypto --window 120 --log-scale --split trace
              coinsentry crossvalidate --data ../shared/data/nypto --window 360 --log-scale --multiclass --json
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

    @OptionGroup var multiclass: MultiClassOptionGroup

    func validate() throws {
        if multiclass.enabled, split != .time {
            throw ValidationError("--multiclass needs --split time: leave-one-trace-out cannot test a class whose "
                + "only trace is held out (every Nypto class has one trace)")
        }
    }

    func run() throws {
        let data = try model.loadData()
        if multiclass.enabled { return try runMultiClass(data) }
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

    private func runMultiClass(_ data: [LoadedTrace]) throws {
        let outcome = try MultiClassCrossValidation.timeSplit(
            data, options: model.options, classOptions: multiclass.options(binary: model.options),
            trainFraction: trainFraction, traceIntervalSeconds: model.traceInterval, progress: Progress.line)
        let pooled = outcome.pooled
        let binary = CrossValidation.summarize(outcome.binary)
        if json {
            struct Output: Encodable {
                var windows: ClassConfusion
                var voted: ClassConfusion
                var binary: [String: EvaluationCounts]
            }
            print(try Report.json(Output(windows: pooled.windows, voted: pooled.voted,
                                         binary: ["windows": binary.windows, "voted": binary.voted])))
            return
        }
        print(ClassReport.summary(windows: pooled.windows, voted: pooled.voted))
        print("")
        print(ClassReport.matrix(pooled.windows, title: "windows"))
        print("")
        print(ClassReport.matrix(pooled.voted, title: "voted"))
        print("")
        print("binary model on the same split, windows: \(Report.rates(binary.windows))")
        print("binary model on the same split, voted:   \(Report.rates(binary.voted))")
    }
}
