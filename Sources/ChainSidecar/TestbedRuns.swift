import Control
import Foundation
import Logging
import Synchronization
import Testbed

/// The sidecar's testbed runs: each generates a labelled regtest chain from a scenario of the scenario folder into a
/// folder of its own under `[testbed] directory` (`blocks/`, `labels.csv`, `summary.json`, as `coinsentry testbed run`
/// writes them), on a thread of its own; a finished run can then be ingested and trained on (``TestbedTrainer``).
///
/// Bounded: one run generates or trains at a time, and a run asks for at most `[testbed] max_blocks` activity blocks.
/// Each run's state is saved in its folder (`run.json`), so runs are listed again after a restart; a run the restart
/// interrupted is reported as failed.
public final class TestbedRuns: Sendable {
    private let scenarios: TestbedScenarioFolder
    private let directory: String
    private let maximumBlocks: Int
    private let logger: Logger
    private let registry: Mutex<Registry>
    /// Called on the worker's own thread before a run generates or a training starts: lets a test hold the work while
    /// it checks what is refused meanwhile. Nothing by default.
    let beforeWork = Mutex<@Sendable () -> Void>({})

    private struct Registry {
        var runs: [String: TestbedRunState] = [:]
        /// The run generating or training, if any.
        var busy: String?
        var next = 1
    }

    /// The file each run's state is saved in.
    static let stateFile = "run.json"

    /// Reads the runs saved under `directory`.
    public init(scenarios: String, directory: String, maximumBlocks: Int, logger: Logger) {
        self.scenarios = TestbedScenarioFolder(path: scenarios)
        self.directory = directory
        self.maximumBlocks = maximumBlocks
        self.logger = logger
        var registry = Registry()
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var saved = [TestbedRunState]()
        for folder in folders {
            let file = ((directory as NSString).appendingPathComponent(folder) as NSString)
                .appendingPathComponent(Self.stateFile)
            guard let data = FileManager.default.contents(atPath: file),
                  var run = try? JSONDecoder().decode(TestbedRunState.self, from: data), run.id == folder else {
                continue
            }
            if run.state == .running {
                run.state = .failed
                run.reason = "coinsentry-chaind stopped during the run"
            }
            if run.training?.state == .running {
                run.training?.state = .failed
                run.training?.reason = "coinsentry-chaind stopped during the training"
            }
            saved.append(run)
            if let number = TestbedRunID.number(of: run.id) { registry.next = max(registry.next, number + 1) }
        }
        registry.runs = Dictionary(uniqueKeysWithValues: saved.map { ($0.id, $0) })
        self.registry = Mutex(registry)
    }

    private func folder(_ id: String) -> String { (directory as NSString).appendingPathComponent(id) }

    /// The scenarios and the block limit.
    public func scenarioList() -> TestbedScenarioList {
        TestbedScenarioList(scenarios: scenarios.list(), maximumBlocks: maximumBlocks)
    }

    /// Every run, newest first.
    public func list() -> TestbedRunList {
        registry.withLock { registry in
            TestbedRunList(runs: registry.runs.values.sorted {
                (TestbedRunID.number(of: $0.id) ?? 0) > (TestbedRunID.number(of: $1.id) ?? 0)
            })
        }
    }

    /// One run.
    /// - Throws: ``TestbedRefusal/unknownRun(_:)``.
    public func run(_ id: String) throws(TestbedRefusal) -> TestbedRunState {
        guard let run = registry.withLock({ $0.runs[id] }) else { throw .unknownRun(id) }
        return run
    }

    /// Starts generating a run on a thread of its own and returns its state (running).
    /// - Throws: ``TestbedRefusal``: an unknown or broken scenario, a block count or seed out of range, another run
    ///   generating or training; `CocoaError` when the run's folder cannot be made.
    public func start(_ request: ChainRequest.TestbedStart) throws -> TestbedRunState {
        let scenario = try scenarios.load(request.scenario)
        let seed = request.seed ?? scenario.seed ?? 1
        guard seed <= TestbedRefusal.maximumSeed else { throw TestbedRefusal.seedOutOfRange(seed) }
        let blocks = request.blocks ?? scenario.blocks
        guard (1...maximumBlocks).contains(blocks) else {
            throw TestbedRefusal.blocksOutOfRange(blocks, maximum: maximumBlocks)
        }
        let runner: TestbedRunner
        do {
            runner = try TestbedRunner(scenario: scenario, seed: seed, blocks: blocks)
        } catch {
            throw TestbedRefusal.badScenario("\(error)")
        }
        let run = try registry.withLock { registry throws -> TestbedRunState in
            if let busy = registry.busy { throw TestbedRefusal.busy(busy) }
            var id = TestbedRunID.make(registry.next)
            while FileManager.default.fileExists(atPath: folder(id)) {
                registry.next += 1
                id = TestbedRunID.make(registry.next)
            }
            try FileManager.default.createDirectory(atPath: folder(id), withIntermediateDirectories: true)
            registry.next += 1
            let run = TestbedRunState(id: id, scenario: request.scenario, seed: seed, blocks: blocks,
                                      started: Self.now())
            registry.runs[id] = run
            registry.busy = id
            return run
        }
        save(run)
        logger.notice("testbed run started", metadata: ["run": "\(run.id)", "scenario": "\(run.scenario)",
                                                        "seed": "\(seed)", "blocks": "\(blocks)"])
        let thread = Thread { [self] in generate(run.id, runner: runner) }
        thread.name = "testbed \(run.id)"
        thread.start()
        return run
    }

    /// Generates the run and writes its files; the run ends finished or failed, and the testbed is free again.
    private func generate(_ id: String, runner: TestbedRunner) {
        beforeWork.withLock { $0 }()
        let world = runner.run { progress in
            update(id) { run in
                run.height = progress.height
                run.finalHeight = progress.finalHeight
                run.transactions = progress.transactions
                run.labelledAddresses = progress.labelledAddresses
            }
        }
        do {
            let summary = try TestbedOutput.write(world, runner: runner, to: folder(id))
            end(id) { run in
                run.state = .finished
                run.height = summary.tipHeight
                run.labelledAddresses = summary.labelledAddresses
                run.transactions = summary.statistics.transactions
                run.addressesByClass = summary.addressesByClass
                run.tipHash = summary.tipHash
                run.ended = Self.now()
            }
            logger.notice("testbed run finished", metadata: ["run": "\(id)", "height": "\(summary.tipHeight)",
                                                             "labelled": "\(summary.labelledAddresses)"])
        } catch {
            end(id) { run in
                run.state = .failed
                run.reason = "the run's files could not be written: \(error.localizedDescription)"
                run.ended = Self.now()
            }
            logger.error("testbed run failed", metadata: ["run": "\(id)", "error": "\(error)"])
        }
    }

    /// A finished run's labels file.
    /// - Throws: ``TestbedRefusal`` for an unknown or unfinished run; the read's error when the file is gone.
    public func labels(_ id: String) throws -> TestbedLabelsFile {
        let run = try run(id)
        guard run.state == .finished else { throw TestbedRefusal.notFinished(id, run.state) }
        let path = (folder(id) as NSString).appendingPathComponent("labels.csv")
        return TestbedLabelsFile(id: id, text: try String(contentsOfFile: path, encoding: .utf8))
    }

    /// Starts ingesting and training on a finished run in the background and returns the run (training running).
    /// - Throws: ``TestbedRefusal`` for an unknown or unfinished run, or while a run generates or trains.
    public func train(_ id: String) throws(TestbedRefusal) -> TestbedRunState {
        let run = try registry.withLock { registry throws(TestbedRefusal) -> TestbedRunState in
            guard var run = registry.runs[id] else { throw .unknownRun(id) }
            guard run.state == .finished else { throw .notFinished(id, run.state) }
            if let busy = registry.busy { throw .busy(busy) }
            registry.busy = id
            run.training = TestbedTraining(state: .running)
            registry.runs[id] = run
            return run
        }
        save(run)
        logger.notice("testbed training started", metadata: ["run": "\(id)"])
        let trainer = TestbedTrainer(directory: folder(id))
        let hold = beforeWork.withLock { $0 }
        Task.detached { [self] in
            var training: TestbedTraining
            do {
                try await TestbedTrainer.onThread(hold)
                training = try await trainer.run()
                logger.notice("testbed training finished", metadata: ["run": "\(id)",
                                                                      "fitted": "\(training.fitted ?? 0)"])
            } catch {
                training = TestbedTraining(state: .failed)
                training.reason = "\(error)"
                logger.error("testbed training failed", metadata: ["run": "\(id)", "error": "\(error)"])
            }
            end(id) { $0.training = training }
        }
        return run
    }

    /// Deletes a run that is not generating or training: it leaves the list, then its folder is removed (put back in
    /// the list if that fails). Returns the run as it was.
    /// - Throws: ``TestbedRefusal`` for an unknown run, one at work, or a folder that could not be removed.
    public func delete(_ id: String) throws(TestbedRefusal) -> TestbedRunState {
        let run = try registry.withLock { registry throws(TestbedRefusal) -> TestbedRunState in
            guard let run = registry.runs[id] else { throw .unknownRun(id) }
            if registry.busy == id { throw .busy(id) }
            registry.runs[id] = nil
            return run
        }
        do {
            try FileManager.default.removeItem(atPath: folder(id))
        } catch {
            registry.withLock { $0.runs[id] = run }
            logger.error("testbed run not deleted", metadata: ["run": "\(id)", "error": "\(error)"])
            throw .notDeleted(id, error.localizedDescription)
        }
        logger.notice("testbed run deleted", metadata: ["run": "\(id)"])
        return run
    }

    /// Changes a run's state; returns the new state.
    @discardableResult
    private func update(_ id: String, _ change: (inout TestbedRunState) -> Void) -> TestbedRunState? {
        registry.withLock { registry in
            guard var run = registry.runs[id] else { return nil }
            change(&run)
            registry.runs[id] = run
            return run
        }
    }

    /// Ends the work on a run: its last state is saved, then shown and the testbed freed at once, so that whoever sees
    /// the run ended also finds it saved and may start the next.
    private func end(_ id: String, _ change: (inout TestbedRunState) -> Void) {
        guard var run = registry.withLock({ $0.runs[id] }) else { return }
        change(&run)
        save(run)
        registry.withLock { registry in
            registry.runs[id] = run
            registry.busy = nil
        }
    }

    /// Saves a run's state in its folder (a failure is logged: the run goes on, only a restart would forget it).
    private func save(_ run: TestbedRunState) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let path = (folder(run.id) as NSString).appendingPathComponent(Self.stateFile)
        do {
            try encoder.encode(run).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            logger.warning("testbed run state not saved", metadata: ["run": "\(run.id)", "error": "\(error)"])
        }
    }

    private static func now() -> String { ISO8601DateFormatter().string(from: Date()) }
}
