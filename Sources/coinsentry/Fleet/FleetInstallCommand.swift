import ArgumentParser
import ChainAnalysis
import Detection
import Fleet
import FleetFiles
import Foundation

/// `coinsentry fleet install`: the participant's acceptance check, then the model file the daemon reloads.
struct FleetInstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install global arrays as a model file if they do no worse on held-back data than the model in use.",
        discussion: """
            Scores the model in use (--base) and the global arrays on the participant's held-back data (balanced \
            accuracy: the mean of per-class recalls). If the global model scores no more than --margin below, a \
            full model file is written to --out (atomically; then 'coinsentryctl reload' or SIGHUP, or the \
            sidecar's reload, loads it) and an 'installed' line is appended to the fleet state file; otherwise \
            nothing is written but a 'refused' line with the reason, a 'fleet-refused' alert (journald MESSAGE_ID \
            f796f609e22a4f97b93dac4f465c50e8, priority warning; and syslog with --alert) goes to the operator, and \
            the exit status is 3. The line is also printed (docs/fleet.md gives its fields).
            """)

    @Option(help: "traffic or address.")
    var federation: FleetFederation = .traffic

    @Option(name: .customLong("global"), help: "The global arrays (.npy).")
    var global: String

    @Option(help: "The model in use (its file); it also fixes everything not federated.")
    var base: String

    @Option(help: "Where to write the new model file when accepted (may be --base itself).")
    var out: String

    @Option(name: .customLong("holdout-features"), help: "Held-back features (.npy), never trained on.")
    var holdoutFeatures: String

    @Option(name: .customLong("holdout-labels"), help: "Held-back labels (.npy).")
    var holdoutLabels: String

    @Option(help: "The largest tolerated drop in balanced accuracy (e.g. 0.02).")
    var margin: Double = 0.02

    @Option(help: "The fleet state file (JSON lines) to append to.")
    var state: String?

    @Option(help: "The federated round the arrays come from (recorded).")
    var round: Int?

    @Option(help: ArgumentHelp(
        "Where a refusal's alert goes (repeatable): journald, unix:/dev/log, udp:HOST:PORT, tcp:HOST:PORT, or none.",
        discussion: "Default: journald when its socket (/run/systemd/journal/socket) exists."))
    var alert: [String] = []

    @Option(help: "The participant's name in the alert (default: the host name).")
    var sensor = ProcessInfo.processInfo.hostName

    func validate() throws {
        guard margin.isFinite, margin >= 0 else { throw ValidationError("--margin must be a number ≥ 0") }
        for target in alert where target != "none" && FleetRefusalAlert.Destination(target) == nil {
            throw ValidationError("--alert \(target): give journald, unix:/PATH, udp:HOST:PORT, tcp:HOST:PORT or none")
        }
    }

    /// The alert's destinations: those given, or journald when it listens.
    private var destinations: [FleetRefusalAlert.Destination] {
        guard !alert.isEmpty else {
            return FileManager.default.fileExists(atPath: "/run/systemd/journal/socket") ? [.journald] : []
        }
        return alert.compactMap(FleetRefusalAlert.Destination.init)
    }

    func run() async throws {
        let base = try FleetBaseModel.load(federation, path: self.base)
        let vector = try FleetBaseModel.readVector(global)
        let holdout = try LabelledExamples.read(features: holdoutFeatures, labels: holdoutLabels, width: base.width)
        guard !holdout.labels.isEmpty else { throw FleetError("\(holdoutFeatures): no held-back example") }
        let check = AcceptanceCheck(margin: margin)
        let metric = "balanced_accuracy"
        let decision: AcceptanceCheck.Decision
        let modelId: String, previousId: String
        var write: () throws -> Void
        switch base {
        case let .traffic(current):
            let candidate = try TrafficModelVector.model(
                vector, base: current, solver: "fleet: federated SGD, l2r-l2loss", round: round ?? 0)
            let currentScore = TrafficScore.balancedAccuracy(
                TrafficScore.counts(try DetectionModel(file: current), on: holdout))
            let candidateScore = TrafficScore.balancedAccuracy(
                TrafficScore.counts(try DetectionModel(file: candidate), on: holdout))
            decision = check.decide(current: currentScore, candidate: candidateScore, metric: metric)
            (modelId, previousId) = (candidate.id, current.id)
            write = { try candidate.write(to: out) }
        case let .address(current):
            let candidate = try AddressModelVector.model(vector, base: current)
            decision = check.decide(
                current: AddressScore.figures(current, on: holdout).balancedAccuracy,
                candidate: AddressScore.figures(candidate, on: holdout).balancedAccuracy, metric: metric)
            (modelId, previousId) = (AddressModelVector.id(vector), AddressModelVector.id(base.vector))
            write = { try ModelJSON.write(candidate, to: out, what: "the address model") }
        }
        if decision.accepted { try write() }
        let record = FleetStateRecord(
            federation: federation, round: round,
            modelId: modelId, previousModelId: previousId, metric: metric, decision: decision, margin: margin,
            holdoutExamples: holdout.labels.count, modelPath: decision.accepted ? out : self.base)
        if let state { try FleetStateFile.append(record, to: state) }
        print(record.jsonLine())
        if !decision.accepted {
            printError("refused: \(decision.reason)")
            let alert = FleetRefusalAlert.record(for: record, sensor: sensor)
            for failure in await FleetRefusalAlert.send(alert, to: destinations) {
                printError("the refusal's alert was not delivered to \(failure)")
            }
            throw ExitCode(3)
        }
    }
}
