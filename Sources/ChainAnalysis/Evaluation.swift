import Foundation

/// Evaluation of a classifier on labelled examples: confusion matrix, per-class precision and recall, accuracy,
/// log-loss and expected calibration error.
public struct Evaluation: Codable, Sendable {
    /// Class names (rows and columns of the confusion matrix).
    public var classes: [String]
    /// `confusion[actual][predicted]` counts.
    public var confusion: [[Int]]
    /// Per class: precision, recall and support (number of actual examples).
    public var perClass: [String: ClassMetrics]
    public var accuracy: Double
    public var logLoss: Double
    /// Expected calibration error over ``bins`` equal-width confidence bins.
    public var expectedCalibrationError: Double
    public var bins: Int
    public var examples: Int
    /// Unweighted mean of the F1 score (harmonic mean of precision and recall; 0 where either is undefined or 0)
    /// over the classes that occur or are predicted.
    public var macroF1: Double
    /// Examples per caveat the reported confidences carried (``ClassificationCaveat`` names), when known.
    public var caveats: [String: Int]?

    /// Confidence bins of the calibration error the classifier reports: 15 equal-width bins of the top-label
    /// confidence.
    public static let calibrationBins = 15

    public struct ClassMetrics: Codable, Sendable {
        public var precision: Double?
        public var recall: Double?
        public var support: Int
    }

    /// Evaluates predictions: for each example, the probability vector (in `classes` order) and the actual label.
    /// Labels unknown to the model count as errors in their own row.
    public init(classes modelClasses: [String], predictions: [(probabilities: [Double], actual: String)],
                bins: Int = 10) {
        let extra = Array(Set(predictions.map(\.actual)).subtracting(modelClasses)).sorted()
        classes = modelClasses + extra
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        confusion = [[Int]](repeating: [Int](repeating: 0, count: classes.count), count: classes.count)
        var binCount = [Int](repeating: 0, count: bins)
        var binConfidence = [Double](repeating: 0, count: bins)
        var binCorrect = [Int](repeating: 0, count: bins)
        var loss = 0.0
        var correct = 0
        for (probabilities, actual) in predictions {
            let predicted = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
            let actualIndex = index[actual]!
            confusion[actualIndex][predicted] += 1
            let isCorrect = predicted == actualIndex
            if isCorrect { correct += 1 }
            let p = actualIndex < probabilities.count ? probabilities[actualIndex] : 0
            loss -= log(max(p, 1e-15))
            let confidence = probabilities[predicted]
            let bin = min(bins - 1, Int(confidence * Double(bins)))
            binCount[bin] += 1
            binConfidence[bin] += confidence
            if isCorrect { binCorrect[bin] += 1 }
        }
        examples = predictions.count
        accuracy = examples > 0 ? Double(correct) / Double(examples) : 0
        logLoss = examples > 0 ? loss / Double(examples) : 0
        var ece = 0.0
        for bin in 0..<bins where binCount[bin] > 0 {
            let gap = abs(binConfidence[bin] / Double(binCount[bin]) - Double(binCorrect[bin]) / Double(binCount[bin]))
            ece += Double(binCount[bin]) / Double(max(examples, 1)) * gap
        }
        expectedCalibrationError = ece
        self.bins = bins
        var perClass = [String: ClassMetrics]()
        for (row, name) in classes.enumerated() {
            let truePositives = confusion[row][row]
            let predictedCount = confusion.reduce(0) { $0 + $1[row] }
            let support = confusion[row].reduce(0, +)
            perClass[name] = ClassMetrics(
                precision: predictedCount > 0 ? Double(truePositives) / Double(predictedCount) : nil,
                recall: support > 0 ? Double(truePositives) / Double(support) : nil, support: support)
        }
        self.perClass = perClass
        // As scikit-learn's f1_score(average="macro"): over the classes that occur or are predicted.
        let f1 = classes.compactMap { name -> Double? in
            guard let metrics = perClass[name], metrics.support > 0 || metrics.precision != nil else { return nil }
            guard let precision = metrics.precision, let recall = metrics.recall, precision + recall > 0 else {
                return 0
            }
            return 2 * precision * recall / (precision + recall)
        }
        macroF1 = f1.isEmpty ? 0 : f1.reduce(0, +) / Double(f1.count)
    }

    /// A human-readable report.
    public var report: String {
        var lines = [String]()
        let width = max(8, (classes.map(\.count).max() ?? 8) + 1)
        func pad(_ text: String) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        lines.append("examples \(examples)  accuracy " + String(format: "%.3f", accuracy) + "  log-loss "
                     + String(format: "%.3f", logLoss) + "  macro F1 " + String(format: "%.3f", macroF1) + "  ECE ("
                     + "\(bins) bins) " + String(format: "%.3f", expectedCalibrationError))
        if let caveats, !caveats.isEmpty {
            lines.append("caveats: " + caveats.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                .joined(separator: ", "))
        }
        lines.append(pad("actual\\pred") + classes.map { pad(String($0.prefix(width - 1))) }.joined())
        for (row, name) in classes.enumerated() {
            lines.append(pad(name) + confusion[row].map { pad(String($0)) }.joined())
        }
        lines.append(pad("class") + pad("precision") + pad("recall") + "support")
        for name in classes {
            let metrics = perClass[name]!
            lines.append(pad(name) + pad(metrics.precision.map { String(format: "%.3f", $0) } ?? "-")
                         + pad(metrics.recall.map { String(format: "%.3f", $0) } ?? "-") + String(metrics.support))
        }
        return lines.joined(separator: "\n")
    }
}
