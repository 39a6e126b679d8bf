import Foundation
import Profiling

/// A loaded, checked model: scaler → PCA → linear SVC, folded into one linear function of the raw features.
///
/// Because every stage is affine, `f(x) = svc(pca(scaler(x)))` equals `a·x + c` with `u = componentsᵀ·w`,
/// `a_j = u_j / scale_j` and `c = b − offset − u·pcaMean − Σ a_j·mean_j`; a decision costs one dot product.
public struct DetectionModel: Sendable {
    /// The file the model came from.
    public let file: ModelFile
    private let coefficients: [Double]
    private let constant: Double

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
        var u = [Double](repeating: 0, count: width)
        for (k, component) in pca.components.enumerated() {
            for j in 0..<width { u[j] += component[j] * file.svc.weights[k] }
        }
        var constant = file.svc.bias - file.svc.decisionOffset
        var coefficients = [Double](repeating: 0, count: width)
        for j in 0..<width {
            constant -= u[j] * pca.mean[j]
            coefficients[j] = u[j] / file.scaler.scale[j]
            constant -= coefficients[j] * file.scaler.mean[j]
        }
        self.file = file
        self.coefficients = coefficients
        self.constant = constant
    }

    /// Reads, decodes and checks a model file.
    ///
    /// - Throws: `ModelError`; the caller keeps its previous model.
    public static func load(_ path: String, sensorIntervalSeconds: Double? = nil) throws(ModelError) -> DetectionModel {
        try DetectionModel(file: try ModelFile.read(path), path: path, sensorIntervalSeconds: sensorIntervalSeconds)
    }

    /// The decision value of a feature vector: positive means *mining*.
    public func decision(_ features: [Double]) -> Double {
        var sum = constant
        coefficients.withUnsafeBufferPointer { a in
            features.withUnsafeBufferPointer { x in
                for j in 0..<a.count { sum += a[j] * x[j] }
            }
        }
        return sum
    }

    /// The decision through each stage in turn, as the file describes it (the reference for `decision`).
    public func stagedDecision(_ features: [Double]) -> Double {
        file.svcModel.decision(file.pca.transform(file.scaler.transform(features)))
    }
}

extension ModelFile {
    /// The classifier part as a `LinearSVC`, its decision offset folded into the bias.
    public var svcModel: LinearSVC { LinearSVC(weights: svc.weights, bias: svc.bias - svc.decisionOffset) }
}
