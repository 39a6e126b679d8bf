import ChainAnalysis
import ChainTestSupport
import Control
import Foundation
import Logging
import Testbed
import Testing
@testable import ChainSidecar

/// Testbed runs through a real sidecar's control socket: the shipped scenarios, a run's progress until it finishes,
/// its labels (those the testbed library writes for the same scenario, seed and block count), ingest and train, and
/// every refusal.
@Suite("Testbed runs in the chain sidecar", .serialized, .timeLimit(.minutes(5)))
struct TestbedRunTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("etc/coinsentry/scenarios").path
    static let maximumBlocks = 8

    /// A sidecar (over an empty block folder) whose testbed has the shipped scenarios, serving its control socket.
    static func withSidecar(_ body: (ChainSidecar, String, TemporaryDirectory) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("blocks"), withIntermediateDirectories: true)
        let text = configurationText(blocks: directory.file("blocks"), directory: directory, extra: """
            [testbed]
            scenarios = "\(scenarios)"
            directory = "\(directory.file("testbed"))"
            max_blocks = \(maximumBlocks)
            """)
        let sidecar = try await ChainSidecar(configuration: try ChainSidecarConfiguration(toml: text, source: "t"),
                                             logger: Logger(label: "testbed-test") { _ in SwiftLogNoOpLogHandler() })
        let socket = directory.file("chain.sock")
        let server = try sidecar.controlServer(path: socket)
        let serving = Task { try await server.run() }
        defer { serving.cancel() }
        try await body(sidecar, socket, directory)
    }

    /// The run once neither its generation nor its training is running (the suite's time limit bounds the wait).
    static func settled(_ id: String, socket: String) async throws -> TestbedRunState {
        while true {
            let run = try await ControlClient.send(ChainRequest.TestbedRun(id: id), socket: socket)
            if run.state != .running && run.training?.state != .running { return run }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The refusal a request gets: its code and message.
    static func refusal(_ request: some ControlRequest, socket: String) async -> ControlError? {
        do {
            _ = try await ControlClient.send(request, socket: socket)
            return nil
        } catch {
            return error
        }
    }

    @Test func aRunWritesTheLibrarysLabelsAndIsIngestedAndTrainedOn() async throws {
        try await Self.withSidecar { sidecar, socket, directory in
            let list = try await ControlClient.send(ChainRequest.TestbedScenarios(), socket: socket)
            #expect(list.scenarios.map(\.name) == ["classes", "rich", "small"])
            #expect(list.maximumBlocks == Self.maximumBlocks)
            let small = try #require(list.scenarios.first(where: { $0.name == "small" }))
            #expect(small.blocks == 12 && small.seed == 7 && small.actors == 9)
            #expect(small.description.hasPrefix("A small scenario for tests"))

            // The run is held before it generates, so what is refused while it runs is seen for certain.
            let release = DispatchSemaphore(value: 0)
            sidecar.testbed.beforeWork.withLock { $0 = { release.wait() } }
            let started = try await ControlClient.send(ChainRequest.TestbedStart(scenario: "small", seed: 3, blocks: 4),
                                                       socket: socket)
            #expect(started.id == "run-1" && started.state == .running && started.seed == 3 && started.blocks == 4)
            let second = await Self.refusal(ChainRequest.TestbedStart(scenario: "small", blocks: 2), socket: socket)
            #expect(second?.code == .conflict, "the same request succeeds once the run is done")
            #expect(second?.message == "run run-1 is still running; one testbed run at a time")
            let early = await Self.refusal(ChainRequest.TestbedLabels(id: "run-1"), socket: socket)
            #expect(early?.code == .conflict && early?.message == "run run-1 is still running; wait until it has finished")
            let earlyTraining = await Self.refusal(ChainRequest.TestbedTrain(id: "run-1"), socket: socket)
            #expect(earlyTraining?.code == .conflict)
            let earlyDelete = await Self.refusal(ChainRequest.TestbedDelete(id: "run-1"), socket: socket)
            #expect(earlyDelete?.code == .conflict, "a run at work is not deleted")
            let listed = try await ControlClient.send(ChainRequest.TestbedRuns(), socket: socket)
            #expect(listed.runs.map(\.id) == ["run-1"] && listed.runs.first?.state == .running)
            release.signal()

            let run = try await Self.settled("run-1", socket: socket)
            #expect(run.state == .finished, "\(run.reason ?? "")")
            #expect(run.finalHeight != nil && run.height == run.finalHeight, "every block mined")
            #expect(run.ended != nil && run.tipHash?.count == 64)

            // The same scenario, seed and block count through the library, as `coinsentry testbed run` writes them.
            let runner = try TestbedRunner(scenario: try ScenarioLoader.load(path: Self.scenarios + "/small.toml"),
                                           seed: 3, blocks: 4)
            let world = runner.run()
            #expect(run.height == world.chain.height)
            #expect(run.labelledAddresses == world.labels.count)
            #expect(run.tipHash == world.chain.tip.hash.hex)
            #expect(run.addressesByClass?.values.reduce(0, +) == world.labels.count)
            let labels = try await ControlClient.send(ChainRequest.TestbedLabels(id: "run-1"), socket: socket)
            #expect(labels.text == TestbedOutput.labelsText(world.labels))
            let summary = directory.file("testbed/run-1/summary.json")
            #expect(FileManager.default.fileExists(atPath: summary))

            sidecar.testbed.beforeWork.withLock { $0 = { release.wait() } }
            let training = try await ControlClient.send(ChainRequest.TestbedTrain(id: "run-1"), socket: socket)
            #expect(training.training?.state == .running)
            let busy = await Self.refusal(ChainRequest.TestbedStart(scenario: "small", blocks: 2), socket: socket)
            #expect(busy?.message == "run run-1 is still running; one testbed run at a time", "training holds the testbed")
            release.signal()
            let trained = try await Self.settled("run-1", socket: socket)
            let result = try #require(trained.training)
            #expect(result.state == .finished, "\(result.reason ?? "")")
            #expect(result.blocksIngested == world.chain.height + 1, "genesis and every mined block")
            #expect((result.labelledOnChain ?? 0) + (result.notOnChain ?? 0) == world.labels.count)
            let evaluated = result.evaluation?.examples ?? 0
            #expect((result.fitted ?? 0) > 0 && (result.fitted ?? 0) + (result.calibration ?? 0) + evaluated
                    == result.labelledOnChain)
            #expect(evaluated > 0, "a quarter of the larger classes is kept out of training")
            #expect(Set(result.classes ?? []).isSubset(of: Set(BehaviourClass.allCases.map(\.rawValue))))
            let classifier = try AddressClassifier.load(path: try #require(result.model))
            #expect(classifier.model.classes == result.classes ?? [])

            // After a restart the runs are read back from their folders.
            let again = TestbedRuns(scenarios: Self.scenarios, directory: directory.file("testbed"), maximumBlocks: 8,
                                    logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
            let reread = again.list().runs
            #expect(reread.map(\.id) == ["run-1"] && reread.first?.state == .finished)
            #expect(reread.first?.labelledAddresses == trained.labelledAddresses)
            #expect(reread.first?.training?.state == .finished && reread.first?.training?.fitted == result.fitted)

            // Deleted: gone from the list, its folder removed, and not read back after a restart.
            let deleted = try await ControlClient.send(ChainRequest.TestbedDelete(id: "run-1"), socket: socket)
            #expect(deleted.id == "run-1" && deleted.state == .finished)
            #expect(!FileManager.default.fileExists(atPath: directory.file("testbed/run-1")))
            #expect(try await ControlClient.send(ChainRequest.TestbedRuns(), socket: socket).runs.isEmpty)
            let gone = await Self.refusal(ChainRequest.TestbedDelete(id: "run-1"), socket: socket)
            #expect(gone?.code == .notFound && gone?.message == "there is no testbed run 'run-1'")
            let afterRestart = TestbedRuns(scenarios: Self.scenarios, directory: directory.file("testbed"),
                                           maximumBlocks: 8,
                                           logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
            #expect(afterRestart.list().runs.isEmpty)
        }
    }

    @Test func refusalsSayWhatIsWrong() async throws {
        try await Self.withSidecar { _, socket, _ in
            let unknown = await Self.refusal(ChainRequest.TestbedStart(scenario: "nonesuch"), socket: socket)
            #expect(unknown?.code == .refused)
            #expect(unknown?.message == "there is no scenario 'nonesuch'; scenarios: classes, rich, small")
            let tooMany = await Self.refusal(ChainRequest.TestbedStart(scenario: "small", blocks: 9), socket: socket)
            #expect(tooMany?.message == "blocks must be from 1 to 8 ([testbed] max_blocks), not 9")
            let byDefault = await Self.refusal(ChainRequest.TestbedStart(scenario: "small"), socket: socket)
            #expect(byDefault?.message == "blocks must be from 1 to 8 ([testbed] max_blocks), not 12",
                    "the scenario's own 12 blocks are over the limit too")
            let none = await Self.refusal(ChainRequest.TestbedStart(scenario: "small", blocks: 0), socket: socket)
            #expect(none?.code == .refused)
            let seed = await Self.refusal(ChainRequest.TestbedStart(scenario: "small", seed: 1 << 60, blocks: 1),
                                          socket: socket)
            #expect(seed?.message.hasPrefix("the seed is a whole number from 0 to 9007199254740991") == true)
            let missing = await Self.refusal(ChainRequest.TestbedRun(id: "run-9"), socket: socket)
            #expect(missing?.code == .notFound && missing?.message == "there is no testbed run 'run-9'")
            let labels = await Self.refusal(ChainRequest.TestbedLabels(id: "run-9"), socket: socket)
            #expect(labels?.code == .notFound)
            let training = await Self.refusal(ChainRequest.TestbedTrain(id: "../run-9"), socket: socket)
            #expect(training?.code == .notFound && training?.message == "there is no testbed run '../run-9'")
            let runs = try await ControlClient.send(ChainRequest.TestbedRuns(), socket: socket)
            #expect(runs.runs.isEmpty, "nothing refused was started")
        }
    }

    @Test func aMissingScenarioFolderListsNoScenario() throws {
        let directory = try TemporaryDirectory()
        let runs = TestbedRuns(scenarios: directory.file("none"), directory: directory.file("runs"), maximumBlocks: 5,
                               logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        #expect(runs.scenarioList() == TestbedScenarioList(scenarios: [], maximumBlocks: 5))
        #expect(throws: TestbedRefusal.unknownScenario("small", known: [])) {
            try runs.start(ChainRequest.TestbedStart(scenario: "small"))
        }
        #expect(runs.list().runs.isEmpty)
    }
}
