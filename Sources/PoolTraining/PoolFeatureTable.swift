import DetectionTraining
import Detection
import PoolDetection
import Capture
import Foundation

/// Flow summaries and their feature rows as CSV (`coinsentry train-pool --export-features`), for studying the
/// classifier's inputs outside the program.
public enum PoolFeatureTable {
    /// The summary figures written before the feature row.
    static let summaryColumns = [
        "capture", "class", "flow", "interval", "client_tls", "server_tls", "ended", "age", "requests", "replies",
        "pushes", "client_messages", "server_messages", "client_bytes", "server_bytes", "max_idle",
        "push_size_mean", "push_size_std", "push_gap_mean", "push_gap_std", "request_size_mean", "request_size_std",
        "request_gap_mean", "request_gap_std", "reply_size_mean", "reply_size_std", "reply_delay_mean",
        "reply_delay_std", "repeated_request_gaps", "answered_pushes",
    ]

    /// Written after the feature row when models are given: the decision value, the confidence (0...1) and whether
    /// the row is within the envelope (1 or 0) of the stage that judges the summary's age in the model of its
    /// capture; empty when no stage scores it.
    static let scoreColumns = ["held_out_decision", "held_out_confidence", "held_out_within"]

    /// One header line, then one line per summary of each capture, in order; with `models` (a capture's name to the
    /// model that scored it, as cross-validation trains them), each line also has the `scoreColumns`.
    public static func csv(_ captures: [PoolShapeCrossValidation.LabelledCapture],
                           models: [String: PoolShapeModel] = [:]) -> String {
        var lines = [(summaryColumns + PoolFlowFeatures.names + (models.isEmpty ? [] : scoreColumns))
            .joined(separator: ",")]
        for capture in captures {
            for shape in capture.shapes {
                let flow = "\(shape.host):\(shape.localPort)-\(shape.remoteDescription)"
                let figures: [String] = [
                    quoted(capture.name), capture.isPool ? "pool" : "ordinary", quoted(flow), String(shape.interval),
                    flag(shape.clientSpeaksTLS), flag(shape.serverSpeaksTLS), flag(shape.ended), number(shape.age),
                    String(shape.requests), String(shape.replies), String(shape.pushes), String(shape.clientMessages),
                    String(shape.serverMessages), String(shape.clientBytes), String(shape.serverBytes),
                    number(shape.maxIdle),
                ] + [shape.pushSize, shape.pushGap, shape.requestSize, shape.requestGap, shape.replySize,
                     shape.replyDelay].flatMap { [number($0.mean), number($0.deviation)] }
                    + [String(shape.repeatedRequestGaps), String(shape.answeredPushes)]
                var scores = [String]()
                if !models.isEmpty {
                    if let stage = models[capture.name]?.stage(scoring: shape), let decision = stage.decision(shape) {
                        scores = [number(decision), number(stage.confidence(shape)), flag(stage.isWithinEnvelope(shape))]
                    } else {
                        scores = ["", "", ""]
                    }
                }
                lines.append((figures + PoolFlowFeatures.row(shape).map(number) + scores).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func number(_ value: Double) -> String { String(value) }
    private static func flag(_ value: Bool) -> String { value ? "1" : "0" }

    /// A CSV field: quoted when it holds a comma, a quote or a line break.
    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
