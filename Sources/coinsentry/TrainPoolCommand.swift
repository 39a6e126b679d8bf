import ArgumentParser
import Capture
import Foundation
import PoolDetection
import PoolTraining

/// `coinsentry train-pool`: the pool-connection classifier from recorded pool sessions and ordinary captures.
struct TrainPoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-pool",
        abstract: "Train the pool-connection classifier on flow shapes of pool sessions and ordinary captures.",
        discussion: """
            Every capture is replayed through the capture path with flow tracking on; each TCP flow of at least \
            --minimum-age seconds yields a shape summary every minute (docs/pool-evidence.md). Summaries of the \
            pool captures' miner hosts (--pool-local-net) are the positive class, summaries of every flow of the \
            ordinary captures the negative class. A linear SVM with standard scaling is fitted (classes weighted by \
            inverse frequency) and written as versioned JSON.

            The split file names, one per line as `ROLE PATH`, the captures to train on (train-pool, \
            train-ordinary) and to test on (test-pool, test-ordinary). After training, the flows of the test \
            captures are scored: per-flow precision and recall, and false alarms per ordinary capture, are printed. \
            Models train on summaries a minute apart at every age; the test captures are scored on the summaries \
            the sensor reports, which come every 15 s while a flow is younger than 10 minutes.

            --cross-validate judges the training set alone (for choosing features and parameters without \
            looking at the held-out captures): each training capture is scored by a model trained on all the \
            others; nothing is written and the test captures are not read.

            --export-features writes every flow summary this run read (with --cross-validate: the training \
            captures only) as CSV: capture, class, flow, the summary's own figures and the feature row, for \
            studying features outside the program without touching the held-out captures. With \
            --cross-validate each row also has held_out_decision, held_out_confidence and held_out_within: the \
            decision value, the confidence and whether the row is within the envelope (1 or 0) of the stage that \
            judges its age, in the model trained without its capture (empty when too young to score).

            --early-minimum-age AGE adds a second stage for flows younger than --minimum-age: trained apart on \
            the summaries of at least AGE seconds, with --early-confidence-messages scaling a young flow's score \
            by what it has shown; it scores a flow until the first stage takes over (docs/pool-evidence.md).

            --envelope-margin K keeps, for each stage, the range of every feature over its pool rows, widened by K \
            standard deviations: a flow outside that envelope is unlike every pool trained on, and is not taken \
            for pool-shaped however its decision value extrapolates.

            Example (the shipped model):
              coinsentry train-pool --split captures/pool/split.txt --output etc/coinsentry/pool-model.json
            A model that also scores flows from two minutes:
              coinsentry train-pool --split captures/pool/split.txt --early-minimum-age 120 \
                --early-confidence-messages 20 --output pool-model-early.json
            """
    )

    @Option(help: "The split file: ROLE PATH lines (train-pool, train-ordinary, test-pool, test-ordinary).")
    var split: String

    @Option(help: "Where to write the model (JSON). Required unless --cross-validate.")
    var output: String?

    @Flag(name: .customLong("cross-validate"),
          help: "Leave-one-capture-out cross-validation on the training captures only; writes no model.")
    var crossValidate = false

    @Option(name: .customLong("pool-local-net"), help: "The miner hosts of the pool captures (CIDR; repeat).")
    var poolLocalNetworks: [String] = ["127.0.0.2/32"]

    @Option(name: .customLong("minimum-age"), help: "Seconds a flow must have lived to be trained on and scored.")
    var minimumAge: Double = PoolShapeModel.defaultMinimumAge

    @Option(name: .customLong("confidence-messages"),
            help: "Pushes and replies a flow must show for its full score (younger flows score in proportion; 0: none).")
    var confidenceMessages: Double = 0

    @Option(name: .customLong("early-minimum-age"),
            help: "Also train a stage for flows from this age (seconds) until --minimum-age.")
    var earlyMinimumAge: Double?

    @Option(name: .customLong("early-confidence-messages"),
            help: "Pushes and replies a young flow must show for its full early score (0: none).")
    var earlyConfidenceMessages: Double = 0

    @Option(name: .customLong("early-threshold"),
            help: "The early stage's decision value above which a young flow is pool-shaped (default 0).")
    var earlyThreshold: Double = 0

    @Option(name: .customLong("envelope-margin"),
            help: "Keep each stage's pool feature ranges, widened by this many standard deviations (none by default).")
    var envelopeMargin: Double?

    @Option(help: "The SVM's regularisation (C).")
    var penalty: Double = PoolShapeTrainer.defaultPenalty

    @Option(name: .customLong("export-features"),
            help: "Also write the flow summaries read (their figures and feature rows) to this CSV file.")
    var exportFeatures: String?

    @Flag(help: "Print the evaluation as JSON.")
    var json = false

    func validate() throws {
        guard minimumAge >= 0, minimumAge.isFinite else { throw ValidationError("--minimum-age must be 0 or more") }
        guard penalty > 0, penalty.isFinite else { throw ValidationError("--penalty must be a positive number") }
        guard confidenceMessages >= 0, confidenceMessages.isFinite else {
            throw ValidationError("--confidence-messages must be 0 or more")
        }
        guard earlyConfidenceMessages >= 0, earlyConfidenceMessages.isFinite else {
            throw ValidationError("--early-confidence-messages must be 0 or more")
        }
        guard earlyThreshold.isFinite else { throw ValidationError("--early-threshold must be a number") }
        if let envelopeMargin, !(envelopeMargin >= 0 && envelopeMargin.isFinite) {
            throw ValidationError("--envelope-margin must be 0 or more (standard deviations)")
        }
        if let earlyMinimumAge {
            guard earlyMinimumAge >= 0, earlyMinimumAge < minimumAge else {
                throw ValidationError("--early-minimum-age must be 0 or more and below --minimum-age (\(minimumAge) s)")
            }
        }
        guard crossValidate || output != nil else {
            throw ValidationError("--output is required (or --cross-validate)")
        }
    }

    func run() throws {
        let plan = try PoolTrainingSplit(path: split)
        for role in PoolTrainingSplit.Role.allCases where plan[role].isEmpty {
            throw ValidationError("the split file names no \(role.rawValue) capture")
        }
        if crossValidate {
            let captures = try labelled(plan, roles: [(.trainPool, true), (.trainOrdinary, false)])
            var models = [String: PoolShapeModel]()
            let evaluation = try PoolShapeCrossValidation.leaveOneCaptureOut(captures, trainer: trainer) {
                if exportFeatures != nil { models[$0.name] = $1 }
            }
            try export(captures, models: models)
            try report(evaluation, heading: "leave-one-capture-out over the \(captures.count) training captures")
            return
        }
        guard let output else { throw ValidationError("--output is required") }
        let training = try labelled(plan, roles: [(.trainPool, true), (.trainOrdinary, false)])
        let record = PoolTrainingRecord(poolCaptures: plan[.trainPool], ordinaryCaptures: plan[.trainOrdinary],
                                        poolSummaries: 0, ordinarySummaries: 0)
        let model = try trainer.train(pool: training.filter(\.isPool).flatMap(\.shapes),
                                      ordinary: training.filter { !$0.isPool }.flatMap(\.shapes), record: record)
        try model.write(to: output)
        let testing = try labelled(plan, roles: [(.testPool, true), (.testOrdinary, false)], asTheSensorReports: true)
        try export(training + testing)
        var evaluation = PoolFlowEvaluation()
        for capture in testing {
            evaluation.add(capture: capture.name, isPool: capture.isPool,
                           flows: FlowShapeCollector.flowScores(capture.shapes, model: model))
        }
        if !json {
            let early = model.early.map {
                "; flows from \(Int($0.minimumAge)) s to \(Int(model.stage.minimumAge)) s are scored by an early stage"
            }
            print("trained on \(model.training.poolSummaries) pool and \(model.training.ordinarySummaries) ordinary "
                  + "flow summaries; model written to \(output)" + (early ?? ""))
        }
        try report(evaluation, heading: "held-out flows")
    }

    private func report(_ evaluation: PoolFlowEvaluation, heading: String) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(evaluation), as: UTF8.self))
            return
        }
        let percent = { (value: Double?) in value.map { String(format: "%.1f %%", $0 * 100) } ?? "n/a" }
        print("\(heading): \(evaluation.truePositives + evaluation.falseNegatives) pool, "
              + "\(evaluation.falsePositives + evaluation.trueNegatives) ordinary; precision "
              + "\(percent(evaluation.precision)), recall \(percent(evaluation.recall))")
        for (capture, missed) in evaluation.missedPerPoolCapture.sorted(by: { $0.key < $1.key }) where missed > 0 {
            print("  \(missed) pool flow(s) missed: \(capture)")
        }
        let alarmed = evaluation.falseAlarmsPerCapture.filter { $0.value > 0 }
        print("  ordinary captures with a false alarm: \(alarmed.count) of \(evaluation.falseAlarmsPerCapture.count)")
        for (capture, alarms) in alarmed.sorted(by: { $0.key < $1.key }) {
            print("  \(alarms) false alarm(s): \(capture)")
        }
    }

    /// The captures of `roles` with their summaries: a minute apart at every age (the rows models are trained on and
    /// cross-validation scores), or as the sensor reports them (young flows more often: what test captures are scored
    /// on).
    private func labelled(_ plan: PoolTrainingSplit, roles: [(PoolTrainingSplit.Role, Bool)],
                          asTheSensorReports: Bool = false) throws -> [PoolShapeCrossValidation.LabelledCapture] {
        try roles.flatMap { role, isPool in
            try plan[role].map { PoolShapeCrossValidation.LabelledCapture(
                name: $0, isPool: isPool, shapes: try shapes($0, isPool: isPool, asTheSensorReports: asTheSensorReports))
            }
        }
    }

    private func export(_ captures: [PoolShapeCrossValidation.LabelledCapture],
                        models: [String: PoolShapeModel] = [:]) throws {
        guard let exportFeatures else { return }
        do {
            try PoolFeatureTable.csv(captures, models: models)
                .write(toFile: exportFeatures, atomically: true, encoding: .utf8)
        } catch {
            throw ValidationError("cannot write \(exportFeatures): \(error.localizedDescription)")
        }
    }

    private var trainer: PoolShapeTrainer {
        PoolShapeTrainer(penalty: penalty, minimumAge: minimumAge, confidenceMessages: confidenceMessages,
                         earlyMinimumAge: earlyMinimumAge, earlyConfidenceMessages: earlyConfidenceMessages,
                         earlyThreshold: earlyThreshold, envelopeMargin: envelopeMargin)
    }

    private func shapes(_ capture: String, isPool: Bool, asTheSensorReports: Bool) throws -> [FlowShape] {
        try FlowShapeCollector.summaries(of: capture, localNetworks: isPool ? poolLocalNetworks
                                                                              : FlowShapeCollector.everyNetwork,
                                         minimumAge: trainer.youngestAge, youngSummaries: asTheSensorReports)
    }
}
