import Detection
import Foundation

/// Human-readable figures shared by the commands.
enum Report {
    static func number(_ value: Double?, digits: Int = 4) -> String {
        guard let value else { return "n/a" }
        return String(format: "%.\(digits)f", value)
    }

    static func rates(_ counts: EvaluationCounts) -> String {
        "TP \(counts.truePositives) FN \(counts.falseNegatives) FP \(counts.falsePositives) "
            + "TN \(counts.trueNegatives), precision \(number(counts.precision)), recall \(number(counts.recall)), "
            + "accuracy \(number(counts.accuracy)), FPR \(number(counts.falsePositiveRate))"
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
