import DetectionTraining
import Detection
import PoolDetection
import Capture

/// Per-flow detection counts of the pool-connection classifier on labelled captures.
public struct PoolFlowEvaluation: Hashable, Sendable, Codable {
    /// Pool flows flagged, pool flows missed, ordinary flows flagged, ordinary flows left alone.
    public var truePositives = 0
    public var falseNegatives = 0
    public var falsePositives = 0
    public var trueNegatives = 0
    /// Flagged ordinary flows per ordinary capture (every capture listed, 0 included).
    public var falseAlarmsPerCapture: [String: Int] = [:]
    /// Unflagged pool flows per pool capture (every capture listed, 0 included).
    public var missedPerPoolCapture: [String: Int] = [:]

    public init() {}

    public var precision: Double? {
        truePositives + falsePositives == 0 ? nil : Double(truePositives) / Double(truePositives + falsePositives)
    }

    public var recall: Double? {
        truePositives + falseNegatives == 0 ? nil : Double(truePositives) / Double(truePositives + falseNegatives)
    }

    /// Adds one capture's flows: each flow counts once, flagged when any of its summaries scored above 0.5.
    public mutating func add(capture: String, isPool: Bool, flows: [FlowShape.FlowKey: Double]) {
        let flagged = flows.values.filter { $0 > 0.5 }.count
        if isPool {
            truePositives += flagged
            falseNegatives += flows.count - flagged
            missedPerPoolCapture[capture] = flows.count - flagged
        } else {
            falsePositives += flagged
            trueNegatives += flows.count - flagged
            falseAlarmsPerCapture[capture] = flagged
        }
    }
}
