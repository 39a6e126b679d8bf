import Foundation
import Profiling

/// A loaded, checked model: scaler → PCA → linear SVC, folded into one linear function of the raw features
/// (`LinearFold`, with the decision offset taken from the bias); and, when the file has a class block, the
/// multi-class model over the same scaler and PCA.
public struct DetectionModel: Sendable {
    /// The file the model came from.
    public let file: ModelFile
    /// Which traffic class a window belongs to, when the file has a class block; the binary decision stays the
    /// sensor's verdict.
    public let classifier: MultiClassModel?
    private let fold: LinearFold

    /// Checks a decoded model file and prepares it for decisions.
    ///
    /// - Parameters:
    ///   - file: the decoded file.
    ///   - path: names the file in errors.
    ///   - sensorIntervalSeconds: the interval the sensor counts in, or `nil` to accept the model's own.
    /// - Throws: `ModelError.inconsistent` or `.settingsMismatch`.
    public init(file: ModelFile, path: String = "<model>", sensorIntervalSeconds: Double? = nil) throws(ModelError) {
        do {
            try file.windows.validate()
        } catch {
            throw .settingsMismatch("window settings: \(error.description)")
        }
        if let sensorIntervalSeconds, abs(sensorIntervalSeconds - file.windows.intervalSeconds) > 1e-9 {
            throw .settingsMismatch(
                "the model was trained on \(file.windows.intervalSeconds) s intervals and the sensor counts "
                    + "\(sensorIntervalSeconds) s intervals; set the sensor's interval or train a model for it")
        }
        try file.vote.validate()
        let expected = FeatureExtractor(settings: file.windows).featureNames
        guard file.features == expected else {
            throw .inconsistent(path: path, reason: "its feature list is not the one this build computes for its "
                + "window settings (\(file.features.count) names, expected \(expected.count))")
        }
        let width = expected.count
        let pca = file.pca
        guard file.scaler.mean.count == width, file.scaler.scale.count == width, pca.mean.count == width,
              !pca.components.isEmpty, pca.components.allSatisfy({ $0.count == width }),
              file.svc.weights.count == pca.components.count
        else {
            throw .inconsistent(path: path, reason: "scaler, PCA and SVC dimensions do not match \(width) features")
        }
        let numbers = file.scaler.mean + file.scaler.scale + pca.mean + pca.components.flatMap { $0 }
            + file.svc.weights + [file.svc.bias, file.svc.decisionOffset]
        guard numbers.allSatisfy(\.isFinite), file.scaler.scale.allSatisfy({ $0 > 0 }) else {
            throw .inconsistent(path: path, reason: "non-finite numbers or a non-positive scale")
        }
        self.file = file
        fold = LinearFold(weights: file.svc.weights, bias: file.svc.bias - file.svc.decisionOffset,
                          scaler: file.scaler, pca: pca)
        classifier = try file.classes.map { classes throws(ModelError) in
            try MultiClassModel(classes, scaler: file.scaler, pca: pca, path: path)
        }
    }

    /// Reads, decodes and checks a model file.
    ///
    /// - Throws: `ModelError`; the caller keeps its previous model.
    public static func load(_ path: String, sensorIntervalSeconds: Double? = nil) throws(ModelError) -> DetectionModel {
        try DetectionModel(file: try ModelFile.read(path), path: path, sensorIntervalSeconds: sensorIntervalSeconds)
    }

    /// The decision value of a feature vector: positive means *mining*.
    public func decision(_ features: [Double]) -> Double { fold.value(features) }

    /// The decision through each stage in turn, as the file describes it (the reference for `decision`).
    public func stagedDecision(_ features: [Double]) -> Double {
        file.svcModel.decision(file.pca.transform(file.scaler.transform(features)))
    }
}

extension ModelFile {
    /// The classifier part as a `LinearSVC`, its decision offset folded into the bias.
    public var svcModel: LinearSVC { LinearSVC(weights: svc.weights, bias: svc.bias - svc.decisionOffset) }
}
