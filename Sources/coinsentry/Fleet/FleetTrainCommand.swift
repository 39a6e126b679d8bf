import ArgumentParser
import Fleet
import FleetFiles
import Foundation

/// `coinsentry fleet train`: local training from the global arrays on the participant's own data.
struct FleetTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train from the global arrays on local data; write the update (.npy) and print the examples used.",
        discussion: """
            Prints one JSON object: {"examples": N, "federation": ..., "seconds": ...}. The update has the \
            global arrays' layout (the local model, not a difference).
            """)

    @Option(help: "traffic or address.")
    var federation: FleetFederation = .traffic

    @Option(name: .customLong("global"), help: "The global arrays (.npy).")
    var global: String

    @Option(help: "The base model: fixes scaler and PCA (traffic) or classes and standardisation (address).")
    var base: String

    @Option(help: "Local features (.npy, 2-D float).")
    var features: String

    @Option(help: "Local labels (.npy, 1-D float: 1 mining / 0 normal, or the class index).")
    var labels: String

    @Option(help: "Where to write the local update (.npy, float64).")
    var out: String

    @Option(help: "Passes over the local data (traffic: SGD epochs; address: gradient steps).")
    var epochs: Int?

    @Option(name: .customLong("learning-rate"), help: "Step size.")
    var learningRate: Double?

    @Option(help: "Seed of the shuffles.")
    var seed: UInt64 = 1

    struct Output: Encodable {
        var examples: Int
        var federation: String
        var seconds: Double
    }

    func run() throws {
        let start = Date()
        let base = try FleetBaseModel.load(federation, path: self.base)
        let global = try FleetBaseModel.readVector(self.global)
        let examples = try LabelledExamples.read(features: features, labels: labels, width: base.width)
        let update: [Double]
        switch base {
        case let .traffic(file):
            var trainer = TrafficTrainer(base: file, seed: seed)
            if let epochs { trainer.epochs = epochs }
            if let learningRate { trainer.learningRate = learningRate }
            update = try trainer.train(from: global, examples: examples)
        case let .address(model):
            var trainer = AddressTrainer(base: model)
            if let epochs { trainer.epochs = epochs }
            if let learningRate { trainer.learningRate = learningRate }
            update = try trainer.train(from: global, examples: examples)
        }
        try NpyFile.write(NpyArray(vector: update), to: out)
        try printJSON(Output(examples: examples.labels.count, federation: federation.rawValue,
                             seconds: Date().timeIntervalSince(start)))
    }
}
