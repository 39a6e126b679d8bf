import ArgumentParser
import Detection
import Fleet
import FleetFiles

/// `coinsentry fleet evaluate`: figures of global arrays on labelled data (window level for traffic).
struct FleetEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Accuracy, recall and false-positive rate of global arrays on labelled data, as JSON.",
        discussion: """
            Prints a JSON array, one object per arrays file in order (the base model itself when none is \
            given): traffic gives window-level tp, fn, fp, tn, accuracy, recall, fpr and balanced_accuracy; \
            address gives accuracy and balanced_accuracy.
            """)

    @Option(help: "traffic or address.")
    var federation: FleetFederation = .traffic

    @Option(help: "The base model.")
    var base: String

    @Option(help: "Features (.npy).")
    var features: String

    @Option(help: "Labels (.npy).")
    var labels: String

    @Argument(help: "Global arrays files (.npy).")
    var arrays: [String] = []

    struct Row: Encodable {
        var file: String
        var counts: EvaluationCounts?
        var balancedAccuracy: Double
        var accuracy: Double?

        private enum CodingKeys: String, CodingKey {
            case file, counts, accuracy
            case balancedAccuracy = "balanced_accuracy"
        }
    }

    func run() throws {
        let base = try FleetBaseModel.load(federation, path: self.base)
        let examples = try LabelledExamples.read(features: features, labels: labels, width: base.width)
        var rows = [Row]()
        for file in arrays.isEmpty ? ["<base>"] : arrays {
            let vector = file == "<base>" ? base.vector : try FleetBaseModel.readVector(file)
            switch base {
            case let .traffic(model):
                let candidate = try TrafficModelVector.model(vector, base: model, solver: "fleet", round: 0)
                let counts = TrafficScore.counts(try DetectionModel(file: candidate), on: examples)
                rows.append(Row(file: file, counts: counts, balancedAccuracy: TrafficScore.balancedAccuracy(counts),
                                accuracy: counts.accuracy))
            case let .address(model):
                let figures = AddressScore.figures(try AddressModelVector.model(vector, base: model), on: examples)
                rows.append(Row(file: file, counts: nil, balancedAccuracy: figures.balancedAccuracy,
                                accuracy: figures.accuracy))
            }
        }
        try printJSON(rows)
    }
}
