import ArgumentParser
import ChainAnalysis
import Fleet
import Foundation

/// `coinsentry fleet addresses`: a participant's labelled addresses as feature vectors in `.npy`.
struct FleetAddressesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "addresses",
        abstract: "Export labelled addresses' features (from a chain database) as .npy for fleet training.",
        discussion: """
            Writes OUT/features.npy (a row of features per address, float64), OUT/labels.npy (the index of the address's \
            class among the base model's classes) and OUT/addresses.txt (one address a line, in row order). Label \
            files as for 'coinsentry chain train' (a testbed run's labels.csv works as it is); addresses not in \
            the database, or of a class the base model does not know, are skipped and counted.
            """)

    @OptionGroup var database: ChainDatabaseOptions

    @Option(name: .customLong("labels"), help: "Label file (repeatable), PATH or SET=PATH.")
    var labels: [String]

    @Option(help: "The base behaviour model: fixes the classes and their order.")
    var base: String

    @Option(name: .customLong("out-dir"), help: "Output folder (created when missing).")
    var outDir: String

    func run() async throws {
        let model = try AddressClassifier.load(path: base).model.requireLogistic()
        let classIndex = Dictionary(uniqueKeysWithValues: model.classes.enumerated().map { ($1, Double($0)) })
        var (_, index) = try await database.open()
        var features = [[Double]](), labels = [Double](), addresses = [String]()
        var missing = 0, unknown = 0
        for item in try readLabels(self.labels) {
            guard let label = classIndex[item.label] else { unknown += 1; continue }
            guard let row = index.features(item.address) else { missing += 1; continue }
            features.append(row)
            labels.append(label)
            addresses.append(item.address)
        }
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        try LabelledExamples(features: features, labels: labels)
            .write(features: "\(outDir)/features.npy", labels: "\(outDir)/labels.npy")
        try (addresses.joined(separator: "\n") + "\n").write(
            toFile: "\(outDir)/addresses.txt", atomically: true, encoding: .utf8)
        printError("wrote \(features.count) addresses to \(outDir); skipped \(missing) not in the database and "
            + "\(unknown) of classes the base model does not know")
    }
}
