import Foundation

/// The kinds of behaviour model a model file can hold.
public enum AddressModelKind: String, Codable, Sendable, CaseIterable {
    /// Multinomial logistic regression (``BehaviourModel``); files without a `kind` hold one.
    case logistic
    /// Random forest (``BehaviourForest``).
    case forest
    /// Gradient-boosted trees (``BehaviourBoost``, XGBoost).
    case boosted
}

/// A behaviour model of either kind, as a model file holds it.
public enum AddressModel: Sendable {
    case logistic(BehaviourModel)
    case forest(BehaviourForest)
    case boosted(BehaviourBoost)

    /// Class names, in output order.
    public var classes: [String] {
        switch self {
        case .logistic(let model): model.classes
        case .forest(let forest): forest.classes
        case .boosted(let boost): boost.classes
        }
    }

    /// Feature names, in input order.
    public var featureNames: [String] {
        switch self {
        case .logistic(let model): model.featureNames
        case .forest(let forest): forest.featureNames
        case .boosted(let boost): boost.featureNames
        }
    }

    /// Range of the features the model was fitted on, nil for a model file that does not keep it.
    public var featureRange: FeatureRange? {
        switch self {
        case .logistic(let model): model.featureRange
        case .forest(let forest): forest.featureRange
        case .boosted(let boost): boost.featureRange
        }
    }

    /// What the model was fitted and calibrated on.
    public var training: AddressTrainingSummary {
        switch self {
        case .logistic(let model): model.training
        case .forest(let forest): forest.training
        case .boosted(let boost): boost.training
        }
    }

    /// The temperature dividing the model's scores, fitted on held-out examples.
    public var temperature: Double {
        switch self {
        case .logistic(let model): model.temperature
        case .forest(let forest): forest.temperature
        case .boosted(let boost): boost.temperature
        }
    }

    /// Trains a model of `kind` on `examples` (each kind's defaults, with the seed and held-out share given and the
    /// forest's `trees` or the boosting `rounds`); calibrated on `calibration` when given.
    public static func train(_ kind: AddressModelKind, examples: [(features: [Double], label: String, set: String)],
                             calibration: [(features: [Double], label: String, set: String)]? = nil,
                             featureNames: [String], seed: UInt64, holdout: Double,
                             trees: Int = BehaviourForest.Options().trees,
                             rounds: Int = BehaviourBoost.Options().rounds) throws -> AddressModel {
        switch kind {
        case .logistic:
            var options = BehaviourModel.Options()
            (options.seed, options.holdout) = (seed, holdout)
            return .logistic(try BehaviourModel.train(examples: examples, calibration: calibration,
                                                      featureNames: featureNames, options: options))
        case .forest:
            var options = BehaviourForest.Options()
            (options.seed, options.holdout, options.trees) = (seed, holdout, trees)
            return .forest(try BehaviourForest.train(examples: examples, calibration: calibration,
                                                     featureNames: featureNames, options: options))
        case .boosted:
            var options = BehaviourBoost.Options()
            (options.seed, options.holdout, options.rounds) = (seed, holdout, rounds)
            return .boosted(try BehaviourBoost.train(examples: examples, calibration: calibration,
                                                     featureNames: featureNames, options: options))
        }
    }

    /// Calibrated class probabilities of a feature vector (summing to 1).
    public func probabilities(_ features: [Double]) -> [Double] {
        switch self {
        case .logistic(let model): model.probabilities(features)
        case .forest(let forest): forest.probabilities(features)
        case .boosted(let boost): boost.probabilities(features)
        }
    }

    /// The logistic model, nil for trees.
    public var logistic: BehaviourModel? {
        if case .logistic(let model) = self { return model }
        return nil
    }

    /// The logistic model; throws for trees, which have no weight vector to share or average.
    public func requireLogistic() throws -> BehaviourModel {
        guard let logistic else {
            throw ModelError("this needs a logistic model (coinsentry chain train --kind logistic): trees have no "
                             + "weight vector")
        }
        return logistic
    }

    /// Reads a model file's contents, choosing the kind by its `kind` field.
    public init(json data: Data) throws {
        struct Header: Decodable {
            var kind: AddressModelKind?
            var formatVersion: Int?
        }
        let header = try JSONDecoder().decode(Header.self, from: data)
        switch header.kind ?? .logistic {
        case .logistic: self = .logistic(try JSONDecoder().decode(BehaviourModel.self, from: data))
        case .forest, .boosted:
            guard header.formatVersion == 1 else {
                throw ModelError("\(header.kind!.rawValue) model format \(header.formatVersion ?? 0) is not supported "
                                 + "(1 is)")
            }
            self = header.kind == .forest ? .forest(try JSONDecoder().decode(BehaviourForest.self, from: data))
                : .boosted(try JSONDecoder().decode(BehaviourBoost.self, from: data))
        }
    }

    /// The model file's contents: sorted keys, so that the same model gives the same bytes.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        switch self {
        case .logistic(let model): return try encoder.encode(model)
        case .forest(let forest): return try encoder.encode(forest)
        case .boosted(let boost): return try encoder.encode(boost)
        }
    }
}
