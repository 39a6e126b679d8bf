import ChainStore
import Foundation

/// Classifies stored addresses with a behaviour model over their ``AddressFeatureIndex`` features, its confidences
/// held back by ``ConfidenceGuard`` where the address's history is short or its features unlike the training data.
public struct AddressClassifier: Sendable {
    /// One address's classification.
    public struct Result: Codable, Sendable {
        public var address: String
        /// Most likely class, ``ConfidenceGuard/unknownLabel`` when the address is unlike the training data, nil
        /// when it is not in the store.
        public var label: String?
        /// Confidence in `label`; nil when the label is nil or unknown.
        public var confidence: Double?
        /// Calibrated confidence per class after the guard (sums to 1); empty when the address is not in the store.
        public var probabilities: [String: Double]
        /// Why the confidences are held back; empty when they are the model's own.
        public var caveats: [ClassificationCaveat]
        /// Transactions the address was seen in.
        public var transactions: Int?
        /// The features outside the training range, for ``ClassificationCaveat/unlikeTraining``.
        public var unlikeFeatures: [String]?
    }

    /// The model.
    public let model: AddressModel

    /// Creates a classifier, refusing a model whose features differ from ``AddressFeatures/names``.
    public init(model: AddressModel) throws {
        guard model.featureNames == AddressFeatures.names else {
            throw ModelError("the model was trained on features \(model.featureNames) but this build computes "
                             + "\(AddressFeatures.names); retrain with coinsentry chain train")
        }
        if case .logistic(let logistic) = model {
            try logistic.checkCompatible(featureNames: AddressFeatures.names)
        }
        self.model = model
    }

    /// Creates a classifier over a logistic model.
    public init(model: BehaviourModel) throws {
        try self.init(model: .logistic(model))
    }

    /// Loads a model file.
    public static func load(path: String) throws -> AddressClassifier {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ModelError("cannot read the model \(path): \(error.localizedDescription)")
        }
        do {
            return try AddressClassifier(model: try AddressModel(json: data))
        } catch let error as ModelError {
            throw ModelError("\(path): \(error)")
        } catch {
            throw ModelError("\(path) is not a behaviour model: \(error)")
        }
    }

    /// A stored address's confidences from the model and after the guard, the caveats, its transactions and the
    /// features outside the training range; nil when it is not in the store.
    func guarded(_ address: String, index: inout AddressFeatureIndex)
        -> (model: [Double], probabilities: [Double], caveats: [ClassificationCaveat], transactions: Int,
            outside: [Int])? {
        guard let features = index.features(address) else { return nil }
        let transactions = index.accumulators[address]?.transactions ?? 0
        let outside = model.featureRange?.outside(features) ?? []
        let own = model.probabilities(features)
        let (probabilities, caveats) = ConfidenceGuard.apply(own, transactions: transactions, outside: outside)
        return (own, probabilities, caveats, transactions, outside)
    }

    /// Classifies addresses.
    public func classify(_ addresses: [String], index: inout AddressFeatureIndex) -> [Result] {
        addresses.map { address in
            guard let (_, probabilities, caveats, transactions, outside) = guarded(address, index: &index) else {
                return Result(address: address, label: nil, confidence: nil, probabilities: [:], caveats: [])
            }
            let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
            let unknown = caveats.contains(.unlikeTraining)
            return Result(address: address, label: unknown ? ConfidenceGuard.unknownLabel : model.classes[best],
                          confidence: unknown ? nil : probabilities[best],
                          probabilities: Dictionary(uniqueKeysWithValues: zip(model.classes, probabilities)),
                          caveats: caveats, transactions: transactions,
                          unlikeFeatures: unknown ? outside.map { AddressFeatures.names[$0] } : nil)
        }
    }

    /// Evaluates the reported (guarded) confidences on labelled addresses, or the model's own with `guarded` false,
    /// separately for each data set and over all; addresses not in the store are listed, not counted.
    public func evaluate(_ labels: [LabelledAddress], index: inout AddressFeatureIndex, guarded: Bool = true)
        -> (bySet: [String: Evaluation], all: Evaluation, missing: [String]) {
        var predictions: [String: [(probabilities: [Double], actual: String)]] = [:]
        var caveats: [String: [[ClassificationCaveat]]] = [:]
        var missing = [String]()
        for item in labels {
            guard let result = self.guarded(item.address, index: &index) else {
                missing.append(item.address)
                continue
            }
            let probabilities = guarded ? result.probabilities : result.model
            predictions[item.set, default: []].append((probabilities, item.label))
            caveats[item.set, default: []].append(result.caveats)
        }
        func evaluation(_ predictions: [(probabilities: [Double], actual: String)], _ caveats: [[ClassificationCaveat]])
            -> Evaluation {
            var evaluation = Evaluation(classes: model.classes, predictions: predictions,
                                        bins: Evaluation.calibrationBins)
            evaluation.caveats = Dictionary(grouping: caveats.flatMap { $0 }, by: \.rawValue).mapValues(\.count)
            return evaluation
        }
        let bySet = predictions.map { set, list in (set, evaluation(list, caveats[set] ?? [])) }
        return (Dictionary(uniqueKeysWithValues: bySet),
                evaluation(predictions.values.flatMap { $0 }, caveats.values.flatMap { $0 }), missing)
    }

    /// The feature vectors of labelled stored addresses, and the addresses not found in the store.
    public static func examples(_ labels: [LabelledAddress], index: inout AddressFeatureIndex)
        -> (examples: [(features: [Double], label: String, set: String)], missing: [String]) {
        var examples = [(features: [Double], label: String, set: String)]()
        var missing = [String]()
        for item in labels {
            if let features = index.features(item.address) {
                examples.append((features, item.label, item.set))
            } else {
                missing.append(item.address)
            }
        }
        return (examples, missing)
    }

    /// Trains a logistic model on labelled stored addresses; returns it and the addresses not found in the store.
    public static func train(labels: [LabelledAddress], index: inout AddressFeatureIndex,
                             options: BehaviourModel.Options = .init()) throws
        -> (model: BehaviourModel, missing: [String]) {
        let (examples, missing) = examples(labels, index: &index)
        return (try BehaviourModel.train(examples: examples, featureNames: AddressFeatures.names, options: options),
                missing)
    }
}
