import ChainAnalysis

/// How an address model classifies labelled examples (labels are class indices of the model).
public enum AddressScore {
    /// Accuracy, balanced accuracy (mean recall over the classes present) and examples.
    public struct Figures: Hashable, Sendable, Codable {
        /// Share of examples whose most likely class is their label.
        public var accuracy: Double
        /// Mean recall over the classes present.
        public var balancedAccuracy: Double
        /// Examples counted (labels outside the model's classes are not).
        public var examples: Int

        private enum CodingKeys: String, CodingKey {
            case accuracy, examples
            case balancedAccuracy = "balanced_accuracy"
        }
    }

    /// The figures of `model` on `examples`.
    public static func figures(_ model: BehaviourModel, on examples: LabelledExamples) -> Figures {
        let classes = model.classes.count
        var support = [Int](repeating: 0, count: classes)
        var hits = [Int](repeating: 0, count: classes)
        for (row, label) in zip(examples.features, examples.labels) {
            let actual = Int(label)
            guard actual >= 0, actual < classes else { continue }
            let p = model.probabilities(row)
            let predicted = p.indices.max { p[$0] < p[$1] } ?? 0
            support[actual] += 1
            if predicted == actual { hits[actual] += 1 }
        }
        let total = support.reduce(0, +)
        let recalls = support.indices.filter { support[$0] > 0 }.map { Double(hits[$0]) / Double(support[$0]) }
        return Figures(
            accuracy: total > 0 ? Double(hits.reduce(0, +)) / Double(total) : 0,
            balancedAccuracy: recalls.isEmpty ? 0 : recalls.reduce(0, +) / Double(recalls.count), examples: total)
    }
}
