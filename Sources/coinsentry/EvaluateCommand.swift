import ArgumentParser
import Detection
import Foundation
import Traces

/// `coinsentry evaluate --model MODEL --label mining|normal [--interval S] [--json] TRACE...`.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Run traces through the sensor's window engine, model and vote, and count the outcome.",
        discussion: """
            With several traces, counts are summed and latency_s is the median over the traces that were flagged. \
            Each trace starts a fresh vote, as a newly seen host would.
            """)

    enum Label: String, ExpressibleByArgument, CaseIterable {
        case mining, normal
    }

    @Option(help: "The model file.")
    var model: String

    @Option(help: "The traces' class.")
    var label: Label

    @Option(help: "Seconds per row in the trace files; resampled to the model's interval.")
    var interval: Double = 0.5

    @Flag(help: "Print one JSON object: {\"windows\": COUNTS, \"voted\": COUNTS, \"latency_s\": SECONDS or null}.")
    var json = false

    @Argument(help: "Trace files.")
    var traces: [String]

    struct Output: Encodable {
        var windows: EvaluationCounts
        var voted: EvaluationCounts
        var latency: Double?

        enum CodingKeys: String, CodingKey {
            case windows, voted
            case latency = "latency_s"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(windows, forKey: .windows)
            try container.encode(voted, forKey: .voted)
            try container.encode(latency, forKey: .latency)
        }
    }

    func run() throws {
        let detection = try DetectionModel.load(model)
        let settings = detection.file.windows
        let isMining = label == .mining
        var windows = EvaluationCounts(), voted = EvaluationCounts()
        var latencies = [Double]()
        for path in traces {
            let trace = try TraceFile.read(path, interval: interval).resampled(to: settings.intervalSeconds)
            let result = TraceEvaluation.evaluate(
                try TraceWindows.extract(rows: trace.rows[...], settings: settings), model: detection,
                isMining: isMining)
            windows = windows + result.windows
            voted = voted + result.voted
            if let latency = result.latencySeconds { latencies.append(latency) }
            Progress.line("\(path): \(result.windows.total) windows, first mining verdict at "
                + (result.latencySeconds.map { "\(Int($0)) s" } ?? "never"))
        }
        latencies.sort()
        let latency: Double? = latencies.isEmpty ? nil : latencies[latencies.count / 2]
        if json {
            print(try Report.json(Output(windows: windows, voted: voted, latency: latency)))
        } else {
            print("model \(detection.file.id), \(traces.count) trace(s) labelled \(label.rawValue)")
            print("windows: \(Report.rates(windows))")
            print("voted:   \(Report.rates(voted))")
            print("latency: \(latency.map { "\(Report.number($0, digits: 0)) s" } ?? "no mining verdict")")
        }
    }
}
