import ArgumentParser
import Detection
import DetectionTraining
import Foundation
import Profiling

/// Options that shape a trained model, shared by `train` and `crossvalidate`.
struct ModelOptionGroup: ParsableArguments {
    @Option(name: .customLong("data"), help: "A folder of trace files (repeatable).")
    var dataDirectories: [String] = []

    @Option(name: .customLong("manifest"),
            help: ArgumentHelp(
                "Manifest for the --data folder at the same position (repeatable); default: the folder's "
                    + "coinsentry-manifest.txt, else the Nypto naming rule."))
    var manifests: [String] = []

    @Option(name: .customLong("trace-interval"), help: "Seconds per row in the trace files.")
    var traceInterval: Double = 0.5

    @Option(name: .customLong("interval"), help: "Seconds per interval of the model (the sensor's bucket).")
    var interval: Double = 1

    @Option(name: .customLong("window"), help: "Window length in seconds (repeatable; default 120).")
    var windows: [Double] = []

    @Option(name: .customLong("slide"), help: "Seconds between windows.")
    var slide: Double = 20

    @Flag(name: .customLong("log-scale"), help: "Features of log(1 + count) instead of raw counts.")
    var logScale = false

    @Option(name: .customLong("penalty"), help: "The SVC penalty C.")
    var penalty: Double = 1

    @Option(name: .customLong("pca-variance"), help: "Share of variance the kept PCA components explain.")
    var pcaVariance: Double = 0.999

    @Option(name: .customLong("vote-length"), help: "Decisions the vote counts.")
    var voteLength = 50

    @Option(name: .customLong("vote-threshold"), help: "Mining share above which the verdict is mining.")
    var voteThreshold = 0.55

    @Option(name: .customLong("min-windows"), help: "Decisions before any verdict.")
    var minimumWindows = 10

    @Option(name: .customLong("clear-threshold"), help: "Mining share at or below which a mining verdict clears.")
    var clearThreshold = 0.45

    @Option(name: .customLong("normal-weight"), help: "Multiplies the normal class's balanced weight.")
    var normalWeightFactor = 1.0

    @Option(name: .customLong("validation-fpr"),
            help: ArgumentHelp(
                "Raise the decision offset until at most this share of normal validation windows (carved from the "
                    + "end of every training trace) is decided mining."))
    var validationFPR: Double?

    @Option(name: .customLong("validation-fraction"), help: "Share of each training trace that validates.")
    var validationFraction = 0.25

    @Option(name: .customLong("max-windows-per-trace"), help: "Train on at most this many windows of each trace.")
    var maximumWindowsPerTrace: Int?

    @Option(name: .customLong("ignore-feature"),
            help: "Give weight 0 to features whose name contains this (repeatable).")
    var ignoredFeatures: [String] = []

    @Option(name: .customLong("train-exclude"),
            help: "Never train on traces whose name contains this; they are still tested (repeatable).")
    var untrainedTraces: [String] = []

    @Option(name: .customLong("exclude"), help: "Leave out traces whose name contains this (repeatable).")
    var exclusions: [String] = []

    func validate() throws {
        guard !dataDirectories.isEmpty else { throw ValidationError("give at least one --data folder") }
        guard manifests.count <= dataDirectories.count else {
            throw ValidationError("more --manifest files than --data folders")
        }
        do {
            try options.windows.validate()
            try options.vote.validate()
        } catch let error as WindowSettingsError {
            throw ValidationError(error.description)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The training options the flags describe.
    var options: TrainingOptions {
        TrainingOptions(
            windows: WindowSettings(
                intervalSeconds: interval, windowSeconds: windows.isEmpty ? [120] : windows.sorted(),
                slideSeconds: slide, counterScale: logScale ? .log1p : .linear),
            vote: VoteSettings(
                length: voteLength, threshold: voteThreshold, minimumWindows: minimumWindows,
                clearThreshold: clearThreshold),
            penalty: penalty, pcaVariance: pcaVariance, normalWeightFactor: normalWeightFactor,
            validationFPR: validationFPR, validationFraction: validationFraction,
            maximumWindowsPerTrace: maximumWindowsPerTrace, ignoredFeatures: ignoredFeatures,
            untrainedTraces: untrainedTraces)
    }

    /// Reads the manifests, loads the traces and cuts them into windows, reporting progress on stderr.
    func loadData() throws -> [LoadedTrace] {
        var labelled = [LabelledTrace]()
        for (index, directory) in dataDirectories.enumerated() {
            let manifest = index < manifests.count ? manifests[index] : nil
            labelled += try Manifest.load(directory: directory, manifest: manifest)
        }
        labelled.removeAll { trace in exclusions.contains { trace.name.contains($0) } }
        Progress.line("reading \(labelled.count) traces")
        return try LoadedTrace.load(labelled, traceInterval: traceInterval, settings: options.windows) {
            Progress.line("  \($0)")
        }
    }
}

/// Progress lines on standard error, so standard output stays machine-readable.
/// A long command's stages, on standard error when it is a terminal (quiet when piped or logged).
enum Progress {
    static func line(_ text: String) {
        guard isatty(STDERR_FILENO) == 1 else { return }
        var standardError = StandardError()
        print(text, to: &standardError)
    }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
