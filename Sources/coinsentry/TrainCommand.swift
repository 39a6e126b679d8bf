import ArgumentParser
import Detection
import Foundation

/// `coinsentry train --data DIR [--data DIR ...] -o MODEL`: trains the mining classifier and writes a model file.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the mining classifier on labelled traces and write a model file.",
        discussion: """
            Before the final model is fitted on all windows, the same procedure is evaluated on a time split \
            (earlier part of every trace trains, later part tests, with a gap of one window) and the held-out \
            figures are stored in the model file.
            """)

    @OptionGroup var model: ModelOptionGroup

    @Option(name: [.customShort("o"), .customLong("output")], help: "Where to write the model file.")
    var output: String

    @Option(name: .customLong("train-fraction"), help: "Share of each trace the held-out check trains on.")
    var trainFraction = 0.7

    func run() throws {
        let data = try model.loadData()
        let options = model.options
        Progress.line("held-out check: time split, training on the first \(trainFraction) of every trace")
        let split = try CrossValidation.timeSplit(
            data, options: options, trainFraction: trainFraction, traceIntervalSeconds: model.traceInterval)
        var metrics = CrossValidation.summarize(split.results)
        metrics.protocolDescription = "time split: first \(trainFraction) of every trace trains, the rest after a "
            + "gap of one longest window tests (mixes after both sources' training parts)"
        Progress.line("fitting the final model on all \(data.map(\.windows.features.count).reduce(0, +)) windows")
        let parts = data.map {
            ModelTrainer.Part(name: $0.trace.name, isMining: $0.trace.isMining, rows: $0.rowCount, windows: $0.windows)
        }
        var file = try ModelTrainer.fit(parts, options: options, traceIntervalSeconds: model.traceInterval)
        file.metrics = metrics
        try file.write(to: output)
        Progress.line("wrote \(output) (model \(file.id), \(file.pca.components.count) PCA components, "
            + "solver \(file.svc.iterations) passes\(file.svc.converged ? "" : ", NOT converged"))")
        Progress.line("held-out windows: \(Report.rates(metrics.windows)); voted: \(Report.rates(metrics.voted))")
    }
}
