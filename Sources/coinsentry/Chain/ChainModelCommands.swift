import ArgumentParser
import BitcoinData
import ChainAnalysis
import ChainStore
import ChainStorePostgres
import Foundation

/// Options shared by the commands that read a chain database.
struct ChainDatabaseOptions: ParsableArguments {
    @Option(help: "Chain database (SQLite file) written by 'coinsentry chain ingest'.")
    var db: String?

    @Option(help: "PostgreSQL chain database instead: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.")
    var postgres: String?

    @Option(help: "Network of the database: mainnet, testnet, signet or regtest.")
    var network: String = "mainnet"

    func open() async throws -> (any ChainDatabase, AddressFeatureIndex) {
        let store = try await openStore()
        return (store, try await AddressFeatureIndex.loadSynchronised(store: store))
    }

    /// The store alone, without synchronising the feature index.
    func openStore() async throws -> any ChainDatabase {
        guard let network = BitcoinNetwork(name: network) else { throw ValidationError("unknown network \(network)") }
        let store: any ChainDatabase
        if let postgres, db == nil {
            store = try await PostgresChainStore(configuration: try PostgresChainStore.configuration(url: postgres),
                                                 network: network)
        } else if let db, postgres == nil {
            guard FileManager.default.fileExists(atPath: db) else { throw ValidationError("no database at \(db)") }
            store = try ChainStore(path: db, network: network)
        } else {
            throw ValidationError("give exactly one of --db or --postgres")
        }
        return store
    }
}

/// Reads label files given as `PATH` or `SET=PATH`: `SET=` puts every address of the file in that data set; without
/// it the file's `set` column decides, else the set is "default".
func readLabels(_ specs: [String]) throws -> [LabelledAddress] {
    try specs.flatMap { spec -> [LabelledAddress] in
        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
        let (set, path) = parts.count == 2 ? (Optional(parts[0]), parts[1]) : (nil, parts[0])
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("cannot read the label file \(path)")
        }
        let labels = try LabelFile.parse(text, source: path, defaultSet: set ?? "default")
        guard let set else { return labels }
        return labels.map { LabelledAddress(address: $0.address, label: $0.label, set: set) }
    }
}

/// Warns on standard error about label classes outside ``BehaviourClass`` (allowed, but usually a typo or another
/// project's vocabulary).
func warnAboutUnknownClasses(_ labels: [LabelledAddress]) {
    let known = Set(BehaviourClass.allCases.map(\.rawValue))
    let unknown = Set(labels.map(\.label)).subtracting(known).sorted()
    guard !unknown.isEmpty else { return }
    printError("classes outside the project's vocabulary (\(known.sorted().joined(separator: ", "))): "
               + unknown.joined(separator: ", "))
}

func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// `coinsentry chain train`.
struct ChainTrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train the address behaviour classifier from labelled addresses.",
        discussion: """
            Label files hold 'address,class[,set]' lines, or columns named by a header line such as the testbed's \
            'address,class,set,actor,behaviour'. Give a file as PATH or SET=PATH (e.g. real=a.csv); SET= puts all \
            its addresses in that data set. A testbed run's labels work as they are:
              coinsentry testbed run small.toml --out run --seed 1
              coinsentry chain ingest --blocks run/blocks --network regtest --db run.sqlite
              coinsentry chain train --db run.sqlite --network regtest --labels run/labels.csv --model m.json
            The model is a random forest unless --kind says otherwise. Its confidences are calibrated on \
            --calibration-db's labelled addresses when given (another chain: another testbed seed's run), else on a \
            held-out share of each class.
            """)

    @OptionGroup var database: ChainDatabaseOptions

    @Option(name: .customLong("labels"), help: "Label file (repeatable).")
    var labels: [String]

    @Option(help: "Where to write the model (JSON).")
    var model: String

    @Option(help: "Model kind: forest, boosted (XGBoost) or logistic.")
    var kind: AddressModelKind = .forest

    @Option(help: "Trees of a forest.")
    var trees = BehaviourForest.Options().trees

    @Option(help: "Boosting rounds of boosted trees.")
    var rounds = BehaviourBoost.Options().rounds

    @Option(name: .customLong("calibration-db"),
            help: ArgumentHelp("Another chain database (SQLite, same network) whose labelled addresses calibrate the "
                + "confidences instead of a held-out share: e.g. a third testbed seed's chain."))
    var calibrationDB: String?

    @Option(name: .customLong("calibration-labels"), help: "Label file of --calibration-db (repeatable).")
    var calibrationLabels: [String] = []

    @Option(help: "Seed of the calibration split and of the forest.")
    var seed: UInt64 = 1

    @Option(help: "Share of each class held out to calibrate the confidences (without --calibration-db).")
    var holdout: Double = 0.25

    func validate() throws {
        guard (calibrationDB == nil) == calibrationLabels.isEmpty else {
            throw ValidationError("--calibration-db and --calibration-labels go together")
        }
        guard trees >= 1, rounds >= 1 else { throw ValidationError("--trees and --rounds must be at least 1") }
    }

    func run() async throws {
        var (_, index) = try await database.open()
        let labelled = try readLabels(labels)
        warnAboutUnknownClasses(labelled)
        let (examples, missing) = AddressClassifier.examples(labelled, index: &index)
        if !missing.isEmpty { printError("\(missing.count) labelled addresses are not in the database, skipped") }
        var calibration: [(features: [Double], label: String, set: String)]?
        if let calibrationDB {
            var calibrationDatabase = database
            calibrationDatabase.db = calibrationDB
            calibrationDatabase.postgres = nil
            var (_, calibrationIndex) = try await calibrationDatabase.open()
            let found = AddressClassifier.examples(try readLabels(calibrationLabels), index: &calibrationIndex)
            if !found.missing.isEmpty {
                printError("\(found.missing.count) calibration addresses are not in \(calibrationDB), skipped")
            }
            calibration = found.examples
        }
        let trained = try AddressModel.train(kind, examples: examples, calibration: calibration,
                                             featureNames: AddressFeatures.names, seed: seed, holdout: holdout,
                                             trees: trees, rounds: rounds)
        try trained.json().write(to: URL(fileURLWithPath: model))
        print("trained a \(kind.rawValue) on \(trained.training.fittedCount) addresses, \(trained.classes.count) "
              + "classes; temperature " + String(format: "%.3f", trained.temperature) + "; wrote \(model)")
    }
}

extension AddressModelKind: ExpressibleByArgument {}

/// `coinsentry chain classify`.
struct ChainClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify", abstract: "Behaviour class of addresses, with a confidence for every class.")

    @OptionGroup var database: ChainDatabaseOptions

    @Option(help: "Model file written by 'coinsentry chain train'.")
    var model: String

    @Flag(help: "Print JSON.")
    var json = false

    @Argument(help: "Addresses to classify.")
    var addresses: [String]

    func run() async throws {
        let classifier = try AddressClassifier.load(path: model)
        var (_, index) = try await database.open()
        let results = classifier.classify(addresses, index: &index)
        if json { return try printJSON(results) }
        for result in results { print(result.line) }
    }
}

extension AddressClassifier.Result {
    /// One line of text: the address, its class and confidence, every class's confidence, and the caveats.
    var line: String {
        guard let label else { return "\(address)  not in the database" }
        let others = probabilities.sorted { $0.value > $1.value }
            .map { "\($0.key) " + String(format: "%.3f", $0.value) }.joined(separator: ", ")
        var text = "\(address)  \(label)" + (confidence.map { " " + String(format: "%.3f", $0) } ?? "")
            + "  (\(others))"
        if !caveats.isEmpty {
            let outside = unlikeFeatures.map { ": outside the training range: " + $0.joined(separator: ", ") } ?? ""
            text += "  [\(caveats.map(\.rawValue).joined(separator: ", "))\(outside); "
                + "\(transactions ?? 0) transaction\(transactions == 1 ? "" : "s")]"
        }
        return text
    }
}

/// `coinsentry chain evaluate`.
struct ChainEvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Confusion matrix, per-class precision and recall, calibration error.",
        discussion: """
            Each data set (SET=PATH, or the label file's set column; the testbed writes 'synthetic') is reported \
            separately, then all together. Evaluate on addresses the model never saw, e.g. another testbed seed:
              coinsentry chain evaluate --db seed2.sqlite --network regtest --model m.json --labels seed2/labels.csv
            """)

    @OptionGroup var database: ChainDatabaseOptions

    @Option(help: "Model file.")
    var model: String

    @Option(name: .customLong("labels"), help: "Label file (repeatable), PATH or SET=PATH.")
    var labels: [String]

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Evaluate the model's own calibrated confidences, without the caps and the unknown outcome.")
    var unguarded = false

    struct Report: Encodable {
        var bySet: [String: Evaluation]
        var all: Evaluation
        var missing: [String]
    }

    func run() async throws {
        let classifier = try AddressClassifier.load(path: model)
        var (_, index) = try await database.open()
        let (bySet, all, missing) = classifier.evaluate(try readLabels(labels), index: &index,
                                                                guarded: !unguarded)
        if json { return try printJSON(Report(bySet: bySet, all: all, missing: missing)) }
        for (set, evaluation) in bySet.sorted(by: { $0.key < $1.key }) where bySet.count > 1 {
            print("== \(set)\n\(evaluation.report)\n")
        }
        print("== all\n\(all.report)")
        if !missing.isEmpty { print("\(missing.count) labelled addresses not in the database") }
    }
}
