import Foundation

/// Temperature scaling: one positive number dividing a classifier's scores before the softmax, fitted by minimising
/// the log-loss on held-out examples the classifier was not fitted on.
public enum TemperatureScaling {
    /// The fitted temperature and the held-out log-loss before (temperature 1) and after.
    public struct Fit: Sendable {
        public var temperature: Double
        public var logLossBefore: Double
        public var logLossAfter: Double
    }

    /// Fits the temperature on `examples` (scores per class, true class index) by golden-section search of its
    /// logarithm over [ln 0.05, ln 20]; the log-loss is unimodal in the temperature. Nil without examples.
    public static func fit(_ examples: [(scores: [Double], label: Int)]) -> Fit? {
        guard !examples.isEmpty else { return nil }
        func logLoss(_ temperature: Double) -> Double {
            examples.reduce(0) { $0 - log(max(softmax($1.scores, temperature: temperature)[$1.label], 1e-15)) }
                / Double(examples.count)
        }
        var low = log(0.05), high = log(20.0)
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0..<60 {
            let a = high - ratio * (high - low), b = low + ratio * (high - low)
            if logLoss(exp(a)) < logLoss(exp(b)) { high = b } else { low = a }
        }
        let temperature = exp((low + high) / 2)
        return Fit(temperature: temperature, logLossBefore: logLoss(1), logLossAfter: logLoss(temperature))
    }
}

/// Softmax of `logits / temperature`, computed stably.
func softmax(_ logits: [Double], temperature: Double) -> [Double] {
    let scaled = logits.map { $0 / temperature }
    let top = scaled.max() ?? 0
    let exps = scaled.map { exp($0 - top) }
    let total = exps.reduce(0, +)
    return exps.map { $0 / total }
}
