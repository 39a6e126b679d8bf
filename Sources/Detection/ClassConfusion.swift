/// A confusion matrix of traffic classes, `counts[actual][predicted]`, with a last column for *undecided* (a host
/// vote before its minimum of windows), and the figures derived from it.
///
/// Per class: precision `TP / predicted as the class`, recall `TP / windows of the class` (undecided windows count
/// against recall). Macro averages are over the classes present in the truth or the predictions, an undefined
/// rate counting 0 (scikit-learn's `average="macro"`, `zero_division=0`). Accuracy counts undecided as wrong.
public struct ClassConfusion: Hashable, Sendable, Codable {
    /// The class names, by index.
    public let classes: [String]
    /// Whether each class is mining, by index: the matrix collapses to mining-vs-normal counts (`binary`).
    public let mining: [Bool]
    /// `counts[actual][predicted]`; predicted index `classes.count` is *undecided*.
    public private(set) var counts: [[Int]]

    public init(classes: [String], mining: [Bool]) {
        precondition(classes.count == mining.count, "one mining flag per class")
        self.classes = classes
        self.mining = mining
        counts = [[Int]](repeating: [Int](repeating: 0, count: classes.count + 1), count: classes.count)
    }

    /// Counts one decision; `predicted` is `nil` for undecided.
    public mutating func add(actual: Int, predicted: Int?) {
        counts[actual][predicted ?? classes.count] += 1
    }

    /// Element-wise sum of two matrices over the same classes.
    public static func + (lhs: ClassConfusion, rhs: ClassConfusion) -> ClassConfusion {
        precondition(lhs.classes == rhs.classes, "confusion matrices over different classes")
        var sum = lhs
        for row in sum.counts.indices {
            for column in sum.counts[row].indices { sum.counts[row][column] += rhs.counts[row][column] }
        }
        return sum
    }

    public var total: Int { counts.joined().reduce(0, +) }
    /// Decisions that were undecided.
    public var undecided: Int { counts.map { $0[classes.count] }.reduce(0, +) }
    /// Windows whose actual class is `index`.
    public func support(_ index: Int) -> Int { counts[index].reduce(0, +) }
    /// Windows predicted as `index`.
    public func predictedCount(_ index: Int) -> Int { counts.map { $0[index] }.reduce(0, +) }

    /// Correct / all; `nil` when empty.
    public var accuracy: Double? {
        total == 0 ? nil : Double(classes.indices.map { counts[$0][$0] }.reduce(0, +)) / Double(total)
    }

    /// `nil` when nothing was predicted as the class.
    public func precision(_ index: Int) -> Double? {
        let predicted = predictedCount(index)
        return predicted == 0 ? nil : Double(counts[index][index]) / Double(predicted)
    }

    /// `nil` when the class has no windows.
    public func recall(_ index: Int) -> Double? {
        let support = support(index)
        return support == 0 ? nil : Double(counts[index][index]) / Double(support)
    }

    /// The classes the macro averages run over: present in the truth or the predictions.
    public var presentClasses: [Int] { classes.indices.filter { support($0) > 0 || predictedCount($0) > 0 } }

    public var macroPrecision: Double? { macro(precision) }
    public var macroRecall: Double? { macro(recall) }

    private func macro(_ rate: (Int) -> Double?) -> Double? {
        let present = presentClasses
        guard !present.isEmpty else { return nil }
        return present.map { rate($0) ?? 0 }.reduce(0, +) / Double(present.count)
    }

    /// The matrix collapsed to mining vs normal by each class's label (undecided is not flagged).
    public var binary: EvaluationCounts {
        var result = EvaluationCounts()
        for (actual, row) in counts.enumerated() {
            for (predicted, count) in row.enumerated() {
                switch (predicted < classes.count && mining[predicted], mining[actual]) {
                case (true, true): result.truePositives += count
                case (false, true): result.falseNegatives += count
                case (true, false): result.falsePositives += count
                case (false, false): result.trueNegatives += count
                }
            }
        }
        return result
    }

    private enum CodingKeys: String, CodingKey {
        case classes, mining, matrix, perClass = "per_class", macroPrecision = "macro_precision"
        case macroRecall = "macro_recall", accuracy, undecided, binary
    }

    private struct PerClass: Encodable {
        var name: String
        var mining: Bool
        var support: Int
        var precision: Double?
        var recall: Double?

        enum CodingKeys: String, CodingKey { case name = "class", mining, support, precision, recall }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(mining, forKey: .mining)
            try container.encode(support, forKey: .support)
            try container.encode(precision, forKey: .precision)
            try container.encode(recall, forKey: .recall)
        }
    }

    /// Encodes the matrix (`matrix[actual][predicted]`, last column undecided) with the derived figures; undefined
    /// rates as null.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(classes, forKey: .classes)
        try container.encode(mining, forKey: .mining)
        try container.encode(counts, forKey: .matrix)
        try container.encode(classes.indices.map {
            PerClass(name: classes[$0], mining: mining[$0], support: support($0), precision: precision($0),
                     recall: recall($0))
        }, forKey: .perClass)
        try container.encode(macroPrecision, forKey: .macroPrecision)
        try container.encode(macroRecall, forKey: .macroRecall)
        try container.encode(accuracy, forKey: .accuracy)
        try container.encode(undecided, forKey: .undecided)
        try container.encode(binary, forKey: .binary)
    }

    /// Decodes classes, mining flags and matrix (the derived figures are recomputed).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        classes = try container.decode([String].self, forKey: .classes)
        mining = try container.decode([Bool].self, forKey: .mining)
        counts = try container.decode([[Int]].self, forKey: .matrix)
        guard mining.count == classes.count, counts.count == classes.count,
              counts.allSatisfy({ $0.count == classes.count + 1 && $0.allSatisfy { $0 >= 0 } })
        else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath,
                debugDescription: "a confusion matrix needs one row per class and one column per class plus undecided"))
        }
    }
}
