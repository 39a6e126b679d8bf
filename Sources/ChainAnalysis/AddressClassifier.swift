import ChainStore
import Foundation

/// Classifies stored addresses with a ``BehaviourModel`` over their ``AddressFeatureIndex`` features.
public struct AddressClassifier: Sendable {
    /// One address's classification.
    public struct Result: Codable, Sendable {
        public var address: String
        /// Most likely class, nil when the address is not in the store.
        public var label: String?
        public var confidence: Double?
        /// Calibrated confidence per class (sums to 1); empty when the address is unknown.
        public var probabilities: [String: Double]
    }

    /// The model.
    public let model: BehaviourModel

    /// Creates a classifier, refusing a model whose features differ from ``AddressFeatures/names``.
    public init(model: BehaviourModel) throws {
        try model.checkCompatible(featureNames: AddressFeatures.names)
        self.model = model
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
            return try AddressClassifier(model: try JSONDecoder().decode(BehaviourModel.self, from: data))
        } catch let error as ModelError {
            throw ModelError("\(path): \(error)")
        } catch {
            throw ModelError("\(path) is not a behaviour model: \(error)")
        }
    }

    /// Classifies addresses.
    public func classify(_ addresses: [String], index: inout AddressFeatureIndex) -> [Result] {
        addresses.map { address in
            guard let features = index.features(address) else {
                return Result(address: address, label: nil, confidence: nil, probabilities: [:])
            }
            let prediction = model.predict(features)
            return Result(address: address, label: prediction.label, confidence: prediction.confidence,
                          probabilities: Dictionary(uniqueKeysWithValues: zip(model.classes, prediction.probabilities)))
        }
    }

    /// Evaluates on labelled addresses, separately for each data set and over all; addresses not in the store are
    /// listed, not counted.
    public func evaluate(_ labels: [LabelledAddress], index: inout AddressFeatureIndex)
        -> (bySet: [String: Evaluation], all: Evaluation, missing: [String]) {
        var predictions: [String: [(probabilities: [Double], actual: String)]] = [:]
        var missing = [String]()
        for item in labels {
            guard let features = index.features(item.address) else {
                missing.append(item.address)
                continue
            }
            predictions[item.set, default: []].append((model.probabilities(features), item.label))
        }
        let bySet = predictions.mapValues { Evaluation(classes: model.classes, predictions: $0) }
        return (bySet, Evaluation(classes: model.classes, predictions: predictions.values.flatMap { $0 }), missing)
    }

    /// Trains a model on labelled stored addresses; returns it and the addresses not found in the store.
    public static func train(labels: [LabelledAddress], index: inout AddressFeatureIndex,
                             options: BehaviourModel.Options = .init()) throws
        -> (model: BehaviourModel, missing: [String]) {
        var examples = [(features: [Double], label: String, set: String)]()
        var missing = [String]()
        for item in labels {
            if let features = index.features(item.address) {
                examples.append((features, item.label, item.set))
            } else {
                missing.append(item.address)
            }
        }
        return (try BehaviourModel.train(examples: examples, featureNames: AddressFeatures.names, options: options),
                missing)
    }
}
