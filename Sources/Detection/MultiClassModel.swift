/// A checked class block (`MultiClassParameters`), each one-vs-rest SVC folded through the scaler and PCA into one
/// linear function of the raw features (`LinearFold`).
public struct MultiClassModel: Sendable {
    /// The block the model came from.
    public let parameters: MultiClassParameters
    private let folds: [LinearFold]

    /// Checks the class block against the scaler and PCA it sits on.
    ///
    /// - Parameter path: names the file in errors.
    /// - Throws: `ModelError.inconsistent` naming what is wrong with the class block, or `.settingsMismatch` for
    ///   its vote settings.
    public init(
        _ parameters: MultiClassParameters, scaler: StandardScaler, pca: PrincipalComponents, path: String = "<model>"
    ) throws(ModelError) {
        func refuse(_ reason: String) -> ModelError { .inconsistent(path: path, reason: "class block: \(reason)") }
        let classes = parameters.classes
        guard classes.count >= 2 else {
            throw refuse("\(classes.count) class(es); a multi-class model needs at least 2")
        }
        var seen = Set<String>()
        for (index, trafficClass) in classes.enumerated() {
            guard !trafficClass.name.isEmpty else { throw refuse("class \(index) has an empty name") }
            guard seen.insert(trafficClass.name).inserted else {
                throw refuse("class '\(trafficClass.name)' appears twice")
            }
            guard trafficClass.weights.count == pca.components.count else {
                throw refuse("class '\(trafficClass.name)' has \(trafficClass.weights.count) weights, the PCA "
                    + "has \(pca.components.count) components")
            }
            guard (trafficClass.weights + [trafficClass.bias]).allSatisfy(\.isFinite) else {
                throw refuse("class '\(trafficClass.name)' has non-finite weights or bias")
            }
        }
        do {
            try parameters.vote.validate()
        } catch {
            throw .settingsMismatch("class block: \(error.description)")
        }
        self.parameters = parameters
        folds = classes.map { LinearFold(weights: $0.weights, bias: $0.bias, scaler: scaler, pca: pca) }
    }

    /// The class names, by index.
    public var names: [String] { parameters.classes.map(\.name) }

    /// Whether each class is mining, by index.
    public var isMining: [Bool] { parameters.classes.map(\.isMining) }

    /// The decision value of every class's one-vs-rest SVC.
    public func decisions(_ features: [Double]) -> [Double] { folds.map { $0.value(features) } }

    /// The index of the class with the largest decision value (the first on a tie).
    public func classIndex(_ features: [Double]) -> Int {
        var best = 0
        var bestValue = -Double.infinity
        for (index, fold) in folds.enumerated() {
            let value = fold.value(features)
            if value > bestValue {
                best = index
                bestValue = value
            }
        }
        return best
    }
}
