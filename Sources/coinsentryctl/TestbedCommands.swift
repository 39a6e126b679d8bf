import ArgumentParser
import Control
import Foundation

/// `coinsentryctl chain testbed ...`: labelled regtest chains made by the sidecar, and models trained on them.
struct ChainTestbed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testbed",
        abstract: "Testbed runs in the sidecar: scenarios, start a run, its progress, its labels, ingest and train, delete.",
        discussion: """
            The sidecar generates one run at a time from the scenario files of its [testbed] scenarios folder, into \
            a folder of its own under [testbed] directory, then ingests it into a chain database of the run's own \
            and trains a behaviour model on its labels when asked.
              coinsentryctl chain testbed scenarios
              coinsentryctl chain testbed start small --seed 3 --blocks 6
              coinsentryctl chain testbed run run-1
              coinsentryctl chain testbed labels run-1 > run-1.csv
              coinsentryctl chain testbed train run-1
              coinsentryctl chain testbed delete run-1
            """,
        subcommands: [TestbedScenariosCommand.self, TestbedStartCommand.self, TestbedRunsCommand.self,
                      TestbedRunCommand.self, TestbedLabelsCommand.self, TestbedTrainCommand.self,
                      TestbedDeleteCommand.self])
}

extension TestbedRunState {
    /// The run as `field value` lines, its training after.
    var text: String {
        var text = Cell.fields([
            "id": id, "scenario": scenario, "seed": seed, "blocks": blocks, "state": state.rawValue, "reason": reason,
            "height": "\(height)/\(finalHeight.cell)", "transactions": transactions,
            "labelled_addresses": labelledAddresses, "tip_hash": tipHash, "started": started, "ended": ended,
        ])
        if let byClass = addressesByClass {
            text += "\n\n" + TextTable.render(header: ["CLASS", "ADDRESSES"],
                                              rows: byClass.sorted { $0.key < $1.key }.map { [$0.key, $0.value.cell] })
        }
        if let training {
            text += "\n\n" + Cell.fields([
                "training": training.state.rawValue, "reason": training.reason, "model": training.model,
                "blocks_ingested": training.blocksIngested, "labelled_on_chain": training.labelledOnChain,
                "not_on_chain": training.notOnChain, "fitted": training.fitted, "calibration": training.calibration,
                "classes": training.classes, "evaluated_on": training.evaluation?.examples,
                "accuracy": training.evaluation?.accuracy, "macro_f1": training.evaluation?.macroF1,
                "calibration_error": training.evaluation?.expectedCalibrationError,
            ])
        }
        return text
    }
}

struct TestbedScenariosCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenarios", abstract: "The scenarios a run may be started from, with their defaults.")
    @OptionGroup var connection: ChainConnectionOptions

    func run() async throws {
        guard let reply = try await connection.send(ChainRequest.TestbedScenarios()) else { return }
        print(TextTable.render(header: ["SCENARIO", "BLOCKS", "SEED", "ACTORS", "DESCRIPTION"],
                               rows: reply.scenarios.map { [$0.name, $0.blocks.cell, $0.seed.cell, $0.actors.cell,
                                                            $0.description] }))
        print("at most \(reply.maximumBlocks) activity blocks a run")
    }
}

struct TestbedStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Start a run (one at a time); it goes on in the sidecar.")
    @OptionGroup var connection: ChainConnectionOptions
    @Argument(help: "A scenario's name, as 'testbed scenarios' lists it.") var scenario: String
    @Option(help: "Seed of every random choice (default: the scenario's, else 1).") var seed: UInt64?
    @Option(help: "Activity blocks after the bootstrap blocks (default: the scenario's).") var blocks: Int?

    func run() async throws {
        let request = ChainRequest.TestbedStart(scenario: scenario, seed: seed, blocks: blocks)
        guard let run = try await connection.send(request) else { return }
        print("started \(run.id): \(run.scenario), seed \(run.seed), \(run.blocks) activity blocks")
    }
}

struct TestbedRunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "Every run, newest first.")
    @OptionGroup var connection: ChainConnectionOptions

    func run() async throws {
        guard let reply = try await connection.send(ChainRequest.TestbedRuns()) else { return }
        print(TextTable.render(
            header: ["RUN", "SCENARIO", "SEED", "BLOCKS", "STATE", "HEIGHT", "LABELLED", "TRAINING"],
            rows: reply.runs.map {
                [$0.id, $0.scenario, $0.seed.cell, $0.blocks.cell, $0.state.rawValue,
                 "\($0.height)/\($0.finalHeight.cell)", $0.labelledAddresses.cell,
                 $0.training?.state.rawValue ?? "-"]
            }))
    }
}

struct TestbedRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "One run: its progress or how it ended, and its training.")
    @OptionGroup var connection: ChainConnectionOptions
    @Argument(help: "The run's id.") var id: String

    func run() async throws {
        guard let run = try await connection.send(ChainRequest.TestbedRun(id: id)) else { return }
        print(run.text)
    }
}

struct TestbedLabelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels", abstract: "A finished run's labels file (address,class,set,actor,behaviour).")
    @OptionGroup var connection: ChainConnectionOptions
    @Argument(help: "The run's id.") var id: String

    func run() async throws {
        guard let labels = try await connection.send(ChainRequest.TestbedLabels(id: id)) else { return }
        print(labels.text, terminator: "")
    }
}

struct TestbedTrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Ingest a finished run into a chain database of its own and train a behaviour model on it.")
    @OptionGroup var connection: ChainConnectionOptions
    @Argument(help: "The run's id.") var id: String

    func run() async throws {
        guard try await connection.send(ChainRequest.TestbedTrain(id: id)) != nil else { return }
        print("training on \(id); 'coinsentryctl chain testbed run \(id)' shows the result")
    }
}

struct TestbedDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a run that is not generating or training: its blocks, labels, chain database and model.")
    @OptionGroup var connection: ChainConnectionOptions
    @Argument(help: "The run's id.") var id: String

    func run() async throws {
        guard try await connection.send(ChainRequest.TestbedDelete(id: id)) != nil else { return }
        print("deleted \(id)")
    }
}
