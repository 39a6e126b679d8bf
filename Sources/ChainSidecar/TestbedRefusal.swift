import Control

/// Why the sidecar will not carry out a testbed request: each case is one refusal, with the message the operator reads
/// (through `coinsentryctl` or the console) and whether it names something that does not exist.
public enum TestbedRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// No scenario of that name in the scenario folder.
    case unknownScenario(String, known: [String])
    /// The scenario file is there but does not load (its file and line, and what is wrong).
    case badScenario(String)
    /// More activity blocks than the sidecar allows, or fewer than one.
    case blocksOutOfRange(Int, maximum: Int)
    /// A seed JSON cannot carry exactly.
    case seedOutOfRange(UInt64)
    /// A run is generating or training; one at a time.
    case busy(String)
    /// No run of that id.
    case unknownRun(String)
    /// The run has not finished generating (still running, or failed).
    case notFinished(String, TestbedTaskState)
    /// The run's folder could not be removed (the reason); the run stays listed.
    case notDeleted(String, String)

    /// The largest seed a request may give: the integers JSON carries exactly.
    public static let maximumSeed: UInt64 = (1 << 53) - 1

    public var description: String {
        switch self {
        case .unknownScenario(let name, let known):
            "there is no scenario '\(name)'; scenarios: "
                + (known.isEmpty ? "none (add TOML or JSON files to the [testbed] scenarios folder)"
                                 : known.joined(separator: ", "))
        case .badScenario(let message):
            "the scenario does not load: \(message)"
        case .blocksOutOfRange(let blocks, let maximum):
            "blocks must be from 1 to \(maximum) ([testbed] max_blocks), not \(blocks)"
        case .seedOutOfRange(let seed):
            "the seed is a whole number from 0 to \(Self.maximumSeed), not \(seed)"
        case .busy(let id):
            "run \(id) is still running; one testbed run at a time"
        case .unknownRun(let id):
            "there is no testbed run '\(id)'"
        case .notFinished(let id, let state):
            state == .running ? "run \(id) is still running; wait until it has finished"
                              : "run \(id) failed; start another"
        case .notDeleted(let id, let reason):
            "run \(id) could not be deleted, and stays: \(reason)"
        }
    }

    /// The control protocol's failure: `not_found` for a run that does not exist (what the request is about),
    /// `conflict` while a run is busy or unfinished (the same request succeeds later), a refusal otherwise (an unknown
    /// scenario is a mistake in what a start request asks for).
    public var controlFailure: ControlFailure {
        switch self {
        case .unknownRun: ControlFailure(description, reason: .notFound)
        case .busy, .notFinished: ControlFailure(description, reason: .conflict)
        default: ControlFailure(description)
        }
    }
}
