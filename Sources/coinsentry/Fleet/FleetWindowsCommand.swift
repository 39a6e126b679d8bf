import ArgumentParser
import Detection
import DetectionTraining
import Fleet
import FleetFiles
import Foundation

/// `coinsentry fleet windows`: a participant's labelled traces as window feature vectors in `.npy`.
struct FleetWindowsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "windows",
        abstract: "Export labelled traces' windows (the base model's window settings) as .npy for fleet training.",
        discussion: """
            Writes OUT/features.npy (a row of features per window, float64), OUT/labels.npy (1 mining, 0 normal), \
            OUT/traces.npy (the trace index of each window) and OUT/traces.json (each index with its name, label and windows). \
            Traces and labels come from the folders' manifests as for 'coinsentry train' (traces made from \
            captures with 'coinsentry replay --trace-dir', as scripts/train-model does), or, with --host-labels, from \
            the operators' host labels that coinsentryd writes (/var/lib/coinsentry/labels.jsonl; \
            'coinsentryctl label HOST mining|normal'): a trace named HOST.dat takes its host's label, traces of \
            unlabelled hosts are left out.
            """)

    @Option(name: .customLong("data"), help: "A folder of trace files (repeatable).")
    var dataDirectories: [String]

    @Option(name: .customLong("manifest"), help: "Manifest for the --data folder at the same position (repeatable).")
    var manifests: [String] = []

    @Option(name: .customLong("host-labels"),
            help: "Label every --data folder's HOST.dat traces from this label file (coinsentryd's labels.jsonl).")
    var hostLabels: String?

    @Option(name: .customLong("trace-interval"), help: "Seconds per row in the trace files.")
    var traceInterval: Double = 0.5

    @Option(help: "The base model: its window settings and features are used.")
    var base: String

    @Option(name: .customLong("exclude"), help: "Leave out traces whose name contains this (repeatable).")
    var exclusions: [String] = []

    @Option(name: .customLong("out-dir"), help: "Output folder (created when missing).")
    var outDir: String

    struct TraceEntry: Encodable {
        var index: Int
        var name: String
        var label: String
        var windows: Int
    }

    func validate() throws {
        if hostLabels != nil, !manifests.isEmpty {
            throw ValidationError("give either --manifest or --host-labels: both say what the traces are")
        }
    }

    func run() throws {
        let model = try DetectionModel.load(base).file
        var labelled = [LabelledTrace]()
        let hosts = try hostLabels.map(Self.readLabels)
        for (position, directory) in dataDirectories.enumerated() {
            if let hosts {
                labelled += try HostLabelledTraces.load(directory: directory, labels: hosts)
            } else {
                let manifest = position < manifests.count ? manifests[position] : nil
                labelled += try Manifest.load(directory: directory, manifest: manifest)
            }
        }
        guard !labelled.isEmpty else {
            throw FleetError("no labelled trace in \(dataDirectories.joined(separator: ", "))"
                             + (hostLabels.map { " for the hosts of \($0)" } ?? ""))
        }
        labelled = labelled.filter { trace in !exclusions.contains { trace.name.contains($0) } }
        let loaded = try LoadedTrace.load(labelled, traceInterval: traceInterval, settings: model.windows,
                                          progress: Progress.line)
        var features = [[Double]](), labels = [Double](), traces = [Double](), entries = [TraceEntry]()
        for (index, trace) in loaded.enumerated() {
            features += trace.windows.features
            labels += repeatElement(trace.trace.isMining ? 1 : 0, count: trace.windows.features.count)
            traces += repeatElement(Double(index), count: trace.windows.features.count)
            entries.append(TraceEntry(index: index, name: trace.trace.name,
                                      label: trace.trace.isMining ? "mining" : "normal",
                                      windows: trace.windows.features.count))
        }
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        try LabelledExamples(features: features, labels: labels)
            .write(features: "\(outDir)/features.npy", labels: "\(outDir)/labels.npy")
        try NpyFile.write(NpyArray(vector: traces), to: "\(outDir)/traces.npy")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(entries).write(to: URL(fileURLWithPath: "\(outDir)/traces.json"))
        Progress.line("wrote \(features.count) windows of \(entries.count) traces to \(outDir)")
    }

    /// The operators' labels; a bad line stops the export, since training on what it meant to say is guessing.
    private static func readLabels(_ path: String) throws -> [HostLabel] {
        let (labels, problems) = try HostLabelFile.read(path)
        guard problems.isEmpty else {
            throw FleetError(problems.map(\.description).joined(separator: "\n") + "\nfix the label file "
                             + "(coinsentryctl label rewrites it) and run again")
        }
        return labels
    }
}
