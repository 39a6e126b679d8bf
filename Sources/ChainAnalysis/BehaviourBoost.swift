import Foundation

/// Gradient-boosted trees classifying address behaviour (XGBoost, softmax objective), with temperature-scaled
/// (calibrated) confidences: every class gets a confidence and they sum to 1.
///
/// Saved as versioned JSON with the booster embedded as the JSON text XGBoost writes; the margins are divided by a
/// temperature fitted on held-out examples before the softmax.
public struct BehaviourBoost: Codable, Sendable {
    /// Version of this file format.
    public var formatVersion = 1
    /// The kind of model, so that a model file says what it holds.
    public var kind = AddressModelKind.boosted
    /// Class names, in output order (the booster's class indices).
    public var classes: [String]
    /// Feature names, in input order (see ``AddressFeatures/names``).
    public var featureNames: [String]
    /// The booster, as the JSON text `XGBoosterSaveModelToBuffer` writes.
    public var booster: String
    /// Temperature dividing the margins, fitted on held-out data.
    public var temperature: Double
    /// Range of the fitted examples' features.
    public var featureRange: FeatureRange
    /// What the model was trained on.
    public var training: AddressTrainingSummary
    private let loaded: XGBoostBooster

    /// Training options.
    public struct Options: Sendable {
        public var rounds = 60
        public var maxDepth = 6
        public var learningRate = 0.3
        /// Share of each class held out for calibration when no calibration examples are given.
        public var holdout = 0.25
        public var seed: UInt64 = 1
        public init() {}
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion, kind, classes, featureNames, booster, temperature, featureRange, training
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        kind = try container.decode(AddressModelKind.self, forKey: .kind)
        classes = try container.decode([String].self, forKey: .classes)
        featureNames = try container.decode([String].self, forKey: .featureNames)
        booster = try container.decode(String.self, forKey: .booster)
        temperature = try container.decode(Double.self, forKey: .temperature)
        featureRange = try container.decode(FeatureRange.self, forKey: .featureRange)
        training = try container.decode(AddressTrainingSummary.self, forKey: .training)
        loaded = try XGBoostBooster(json: Data(booster.utf8))
    }

    private init(classes: [String], featureNames: [String], loaded: XGBoostBooster, featureRange: FeatureRange,
                 training: AddressTrainingSummary) throws {
        self.classes = classes
        self.featureNames = featureNames
        self.loaded = loaded
        booster = String(decoding: try loaded.json(), as: UTF8.self)
        temperature = 1
        self.featureRange = featureRange
        self.training = training
    }

    /// The booster's margins per class, uncalibrated; zeros (a uniform softmax) should the library fail, which a
    /// feature vector of the model's width does not make it do.
    func margins(_ features: [Double]) -> [Double] {
        (try? loaded.margins([features], classes: classes.count).first) ?? [Double](repeating: 0, count: classes.count)
    }

    /// Calibrated class probabilities of a feature vector (summing to 1).
    public func probabilities(_ features: [Double]) -> [Double] {
        softmax(margins(features), temperature: temperature)
    }

    /// Trains on `examples`; the temperature is fitted on `calibration` when given, else on a stratified
    /// ``Options/holdout`` share of each class kept out of boosting.
    public static func train(examples: [(features: [Double], label: String, set: String)],
                             calibration: [(features: [Double], label: String, set: String)]? = nil,
                             featureNames: [String], options: Options = Options()) throws -> BehaviourBoost {
        let split = try TrainingSplit(examples: examples, calibration: calibration, featureNames: featureNames,
                                      holdout: options.holdout, seed: options.seed)
        let parameters = [
            ("objective", "multi:softprob"), ("num_class", String(split.classes.count)),
            ("max_depth", String(options.maxDepth)), ("eta", String(options.learningRate)),
            ("tree_method", "hist"), ("nthread", "1"), ("seed", String(options.seed % UInt64(Int32.max))),
            ("verbosity", "0"),
        ]
        let booster = try XGBoostBooster(rows: split.fit.map(\.x), labels: split.fit.map(\.y), parameters: parameters,
                                         rounds: options.rounds)
        var model = try BehaviourBoost(
            classes: split.classes, featureNames: featureNames, loaded: booster,
            featureRange: FeatureRange(examples: split.fit.map(\.x)),
            training: AddressTrainingSummary(split, examples: examples))
        model.training.parameters = Dictionary(uniqueKeysWithValues: parameters)
        model.training.rounds = options.rounds
        let heldMargins = try booster.margins(split.held.map(\.x), classes: split.classes.count)
        model.temperature = model.training.calibrate(zip(heldMargins, split.held).map { ($0, $1.y) })
        return model
    }
}
