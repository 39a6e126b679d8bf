import Randomness

/// Labelled examples split into those a model is fitted on and those its confidences are calibrated on: either
/// given apart (for example another chain's addresses, so calibration never sees the fitted chain), or a stratified
/// share of each class held out.
struct TrainingSplit {
    typealias Example = (features: [Double], label: String, set: String)

    /// Class names, sorted: the fitted examples' labels.
    var classes: [String]
    var fit: [(x: [Double], y: Int)] = []
    var held: [(x: [Double], y: Int)] = []

    /// Splits `examples`; with `calibration` given those are held out instead of a `holdout` share of each class
    /// (calibration examples of a class the fitted examples lack are dropped).
    init(examples: [Example], calibration: [Example]?, featureNames: [String], holdout: Double, seed: UInt64) throws {
        classes = Array(Set(examples.map(\.label))).sorted()
        guard classes.count >= 2 else {
            throw ModelError("training needs at least two classes, found \(classes.count)")
        }
        let width = featureNames.count
        guard (examples + (calibration ?? [])).allSatisfy({ $0.features.count == width }) else {
            throw ModelError("feature vectors do not match the \(featureNames.count) feature names")
        }
        var generator = SplitMix64(seed: seed)
        for (classIndex, name) in classes.enumerated() {
            let members = examples.filter { $0.label == name }.shuffled(using: &generator)
            let holdCount = calibration == nil && members.count >= 4
                ? Int((Double(members.count) * holdout).rounded()) : 0
            for (position, example) in members.enumerated() {
                if position < holdCount { held.append((example.features, classIndex)) } else {
                    fit.append((example.features, classIndex))
                }
            }
        }
        if let calibration {
            let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
            held = calibration.compactMap { example in index[example.label].map { (example.features, $0) } }
        }
    }

    /// Examples per class name.
    static func counts(_ examples: [(x: [Double], y: Int)], classes: [String]) -> [String: Int] {
        Dictionary(grouping: examples, by: { classes[$0.y] }).mapValues(\.count)
    }
}
