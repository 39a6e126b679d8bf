import ArgumentParser
import Detection
import DetectionTraining

/// Options of the multi-class mode (which traffic class), shared by `train` and `crossvalidate`.
struct MultiClassOptionGroup: ParsableArguments {
    @Flag(name: .customLong("multiclass"),
          help: ArgumentHelp(
              "Also train one-vs-rest SVCs naming the traffic class (one class per source trace; mixes have none "
                  + "unless the manifest gives class=NAME), over the binary model's scaler and PCA."))
    var enabled = false

    @Option(name: .customLong("class-penalty"), help: "The penalty C of every one-vs-rest SVC (default: --penalty).")
    var penalty: Double?

    @Option(name: .customLong("class-vote-length"), help: "Window classes a host's class vote counts.")
    var voteLength = 50

    @Option(name: .customLong("class-min-windows"), help: "Window classes before a host has a class.")
    var minimumWindows = 10

    @Option(name: .customLong("class-max-windows-per-trace"),
            help: "Train the class SVCs on at most this many windows of each trace (evenly spaced).")
    var maximumWindowsPerTrace: Int?

    func validate() throws {
        if let penalty, !(penalty > 0 && penalty.isFinite) {
            throw ValidationError("--class-penalty must be a positive number, got \(penalty)")
        }
        if let maximumWindowsPerTrace, maximumWindowsPerTrace < 1 {
            throw ValidationError("--class-max-windows-per-trace must be at least 1")
        }
        do {
            try ClassVoteSettings(length: voteLength, minimumWindows: minimumWindows).validate()
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The class-block options the flags describe, completing them from the binary model's options.
    func options(binary: TrainingOptions) -> MultiClassTrainer.Options {
        MultiClassTrainer.Options(
            penalty: penalty ?? binary.penalty,
            vote: ClassVoteSettings(length: voteLength, minimumWindows: minimumWindows), seed: binary.seed,
            maximumWindowsPerTrace: maximumWindowsPerTrace, untrainedTraces: binary.untrainedTraces)
    }
}
