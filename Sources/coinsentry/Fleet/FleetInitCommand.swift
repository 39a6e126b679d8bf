import ArgumentParser
import Fleet
import FleetFiles

/// `coinsentry fleet init`: the initial global arrays of a federation, from its base model.
struct FleetInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Write a base model's shared arrays as the initial global .npy.")

    @Option(help: "traffic or address.")
    var federation: FleetFederation = .traffic

    @Option(help: "The base model file (the shipped model.json, or a behaviour model).")
    var base: String

    @Option(help: "Where to write the arrays (.npy, float64).")
    var out: String

    func run() throws {
        let base = try FleetBaseModel.load(federation, path: self.base)
        try NpyFile.write(NpyArray(vector: base.vector), to: out)
        print("wrote \(base.vector.count) numbers to \(out)")
    }
}
