import Foundation

/// What a classifier made of addresses without labels: how many went to each outcome, how confident it was, and
/// whether the confidence guard held.
public struct ClassificationSurvey: Codable, Sendable {
    /// Addresses classified (those in the store).
    public var addresses: Int
    /// Addresses per outcome (a class or ``ConfidenceGuard/unknownLabel``).
    public var byLabel: [String: Int]
    /// Mean reported confidence per class.
    public var meanConfidenceByLabel: [String: Double]
    /// Addresses per tenth of reported confidence: entry `i` counts confidences in `[i/10, (i+1)/10)`, 1.0 in the
    /// last; the unknown outcome has none and is not counted.
    public var confidenceTenths: [Int]
    /// Addresses per caveat.
    public var caveats: [String: Int]
    /// Addresses by the transactions they were seen in: "1", "2", "3+".
    public var byTransactions: [String: Int]
    /// Highest confidence reported for an address seen in fewer than ``ConfidenceGuard/minimumTransactions``.
    public var highestConfidenceWithTooLittleHistory: Double?
    /// The most frequent outcome and its share of the addresses.
    public var largestLabel: String?
    public var largestShare: Double

    /// Summarises `results` (addresses not in the store are left out).
    public init(_ results: [AddressClassifier.Result]) {
        let classified = results.filter { $0.label != nil }
        addresses = classified.count
        byLabel = Dictionary(grouping: classified, by: { $0.label! }).mapValues(\.count)
        meanConfidenceByLabel = Dictionary(grouping: classified.filter { $0.confidence != nil }, by: { $0.label! })
            .mapValues { group in group.reduce(0) { $0 + $1.confidence! } / Double(group.count) }
        confidenceTenths = [Int](repeating: 0, count: 10)
        for confidence in classified.compactMap(\.confidence) { confidenceTenths[min(9, Int(confidence * 10))] += 1 }
        caveats = Dictionary(grouping: classified.flatMap(\.caveats), by: \.rawValue).mapValues(\.count)
        byTransactions = Dictionary(grouping: classified, by: { result -> String in
            let count = result.transactions ?? 0
            return count >= 3 ? "3+" : String(count)
        }).mapValues(\.count)
        highestConfidenceWithTooLittleHistory = classified
            .filter { ($0.transactions ?? 0) < ConfidenceGuard.minimumTransactions }.compactMap(\.confidence).max()
        let largest = byLabel.max { ($0.value, $1.key) < ($1.value, $0.key) }
        largestLabel = largest?.key
        largestShare = addresses > 0 ? Double(largest?.value ?? 0) / Double(addresses) : 0
    }

    /// A human-readable report.
    public var report: String {
        func share(_ count: Int) -> String {
            String(format: "%.1f %%", 100 * Double(count) / Double(max(addresses, 1)))
        }
        var lines = ["addresses \(addresses); by transactions: "
                     + byTransactions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")]
        lines.append("outcome            addresses  share    mean confidence")
        for (label, count) in byLabel.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
            lines.append(label.padding(toLength: 19, withPad: " ", startingAt: 0)
                         + String(count).padding(toLength: 11, withPad: " ", startingAt: 0)
                         + share(count).padding(toLength: 9, withPad: " ", startingAt: 0)
                         + (meanConfidenceByLabel[label].map { String(format: "%.3f", $0) } ?? "-"))
        }
        lines.append("confidence tenths: " + confidenceTenths.enumerated()
            .map { String(format: "%.1f-%.1f ", Double($0.offset) / 10, Double($0.offset + 1) / 10) + "\($0.element)" }
            .joined(separator: ", "))
        lines.append("caveats: " + (caveats.isEmpty ? "none"
            : caveats.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        lines.append("highest confidence below \(ConfidenceGuard.minimumTransactions) transactions: "
                     + (highestConfidenceWithTooLittleHistory.map { String(format: "%.3f", $0) } ?? "-")
                     + "; largest outcome \(largestLabel ?? "-") " + String(format: "%.1f %%", 100 * largestShare))
        return lines.joined(separator: "\n")
    }
}
