import ArgumentParser
import Detection
import DetectionTraining
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

            With --multiclass, the model file also gets a class block: one-vs-rest linear SVCs over the same \
            scaler and PCA that name the traffic class of a window (one class per source trace, e.g. browsing or \
            mining_2t_nicehash; mixes have none unless the manifest gives class=NAME), and a per-host vote over \
            the last --class-vote-length window classes. The binary decision and verdict are unchanged by it. \
            Its time-split figures are stored beside the binary ones.

            Examples:
              coinsentry train --data ../shared/data/nypto --window 120 --log-scale -o model.json
              coinsentry train --data ../shared/data/nypto --window 360 --log-scale --multiclass -o model-classes.json
            """)

    @OptionGroup var model: ModelOptionGroup

    @Option(name: [.customShort("o"), .customLong("output")], help: "Where to write the model file.")
    var output: String

    @Option(name: .customLong("train-fraction"), help: "Share of each trace the held-out check trains on.")
    var trainFraction = 0.7

    @OptionGroup var multiclass: MultiClassOptionGroup

    @Option(name: .customLong("add-classes-to"),
            help: ArgumentHelp(
                "With --multiclass: keep this model's binary part exactly (scaler, PCA, SVC, vote, metrics: every "
                    + "binary decision stays the same) and add a class block fitted on its scaler and PCA. The "
                    + "window flags must match the model's.", valueName: "model"))
    var baseModel: String?

    func validate() throws {
        if baseModel != nil, !multiclass.enabled { throw ValidationError("--add-classes-to needs --multiclass") }
    }

    func run() throws {
        let options = model.options
        let base = try baseModel.map { path in try DetectionModel.load(path).file }
        if let base, base.windows != options.windows {
            throw ValidationError("--add-classes-to \(baseModel ?? ""): the model's windows are \(base.windows), the "
                + "flags give \(options.windows); pass the same --interval, --window, --slide and --log-scale")
        }
        let data = try model.loadData()
        let classOptions = multiclass.options(binary: options)
        Progress.line("held-out check: time split, training on the first \(trainFraction) of every trace")
        let protocolDescription = "time split: first \(trainFraction) of every trace trains, the rest after a "
            + "gap of one longest window tests (mixes after both sources' training parts)"
        var metrics: ModelFile.HeldOutMetrics
        var classMetrics: MultiClassMetrics?
        if multiclass.enabled {
            let outcome = try MultiClassCrossValidation.timeSplit(
                data, options: options, classOptions: classOptions, trainFraction: trainFraction,
                traceIntervalSeconds: model.traceInterval, progress: Progress.line)
            metrics = CrossValidation.summarize(outcome.binary)
            classMetrics = outcome.pooled
            classMetrics?.protocolDescription = protocolDescription
        } else {
            let split = try CrossValidation.timeSplit(
                data, options: options, trainFraction: trainFraction, traceIntervalSeconds: model.traceInterval)
            metrics = CrossValidation.summarize(split.results)
        }
        metrics.protocolDescription = protocolDescription
        let parts = data.map {
            ModelTrainer.Part(name: $0.trace.name, isMining: $0.trace.isMining, rows: $0.rowCount, windows: $0.windows)
        }
        var file: ModelFile
        if let base {
            Progress.line("keeping the binary part of \(baseModel ?? "") (model \(base.id))")
            file = base
            metrics = base.metrics ?? metrics
        } else {
            Progress.line("fitting the final model on all \(data.map(\.windows.features.count).reduce(0, +)) windows")
            file = try ModelTrainer.fit(parts, options: options, traceIntervalSeconds: model.traceInterval)
            file.metrics = metrics
        }
        if multiclass.enabled {
            let classed = MultiClassTrainer.classedParts(Array(zip(data.map(\.trace), parts)))
            Progress.line("fitting one-vs-rest SVCs for \(Set(classed.map(\.trafficClass)).count) classes")
            file.classes = try MultiClassTrainer.fit(classed, scaler: file.scaler, pca: file.pca,
                                                     options: classOptions)
            file.classes?.metrics = classMetrics
            _ = try DetectionModel(file: file, path: output)
        }
        try file.write(to: output)
        Progress.line("wrote \(output) (model \(file.id), \(file.pca.components.count) PCA components, "
            + "solver \(file.svc.iterations) passes\(file.svc.converged ? "" : ", NOT converged"))")
        Progress.line("held-out windows: \(Report.rates(metrics.windows)); voted: \(Report.rates(metrics.voted))")
        if let classMetrics {
            Progress.line("held-out classes: windows accuracy \(Report.number(classMetrics.windows.accuracy)), "
                + "macro precision \(Report.number(classMetrics.windows.macroPrecision)), macro recall "
                + "\(Report.number(classMetrics.windows.macroRecall)); voted accuracy "
                + "\(Report.number(classMetrics.voted.accuracy))")
        }
    }
}
