import Detection

/// How a traffic model decides the windows of labelled data: window-level counts with *mining* positive.
public enum TrafficScore {
    /// Window-level counts of `model` on `examples` (labels 1 = mining, 0 = normal).
    public static func counts(_ model: DetectionModel, on examples: LabelledExamples) -> EvaluationCounts {
        var counts = EvaluationCounts()
        for (row, label) in zip(examples.features, examples.labels) {
            counts.add(predictedMining: model.decision(row) > 0, actualMining: label >= 0.5)
        }
        return counts
    }

    /// Balanced accuracy: the mean of recall and true-negative rate; the accuracy when one class is absent.
    public static func balancedAccuracy(_ counts: EvaluationCounts) -> Double {
        switch (counts.recall, counts.falsePositiveRate) {
        case let (recall?, fpr?): (recall + 1 - fpr) / 2
        default: counts.accuracy ?? 0
        }
    }
}
