import Detection
import DetectionTraining
import FleetFiles
import Foundation

/// The traffic model's share in a federation: the linear SVC over the PCA components, as one vector
/// `[w₁ … w_k, b]` (`k` = PCA components).
///
/// Scaler and PCA are not federated: every participant keeps those of the shipped base model (fitted on the public
/// bootstrap traces), so all participants' SVC weights live in one space and averaging them means something. The
/// decision offset, vote and class block stay the base model's too.
public enum TrafficModelVector {
    /// The shared vector of a model file.
    public static func vector(of file: ModelFile) -> [Double] { file.svc.weights + [file.svc.bias] }

    /// The base model with its SVC replaced by `vector`, checked as the sensor checks a model it loads.
    ///
    /// - Parameters:
    ///   - vector: `[w₁ … w_k, b]`, `k` the base model's PCA components.
    ///   - base: the model whose scaler, PCA, windows, vote and class block are kept.
    ///   - solver: recorded as the SVC's solver (how the weights were made).
    ///   - round: recorded as the solver's iterations (the federated round).
    /// - Throws: `FleetError` when the vector does not fit the base model or is not finite.
    public static func model(_ vector: [Double], base: ModelFile, solver: String, round: Int) throws(FleetError)
        -> ModelFile
    {
        let width = base.pca.components.count
        guard vector.count == width + 1 else {
            throw FleetError("the global arrays hold \(vector.count) numbers; the base model \(base.id) needs "
                + "\(width + 1) (\(width) SVC weights and the bias)")
        }
        guard vector.allSatisfy(\.isFinite) else { throw FleetError("the global arrays hold non-finite numbers") }
        var file = base
        file.svc.weights = Array(vector[0..<width])
        file.svc.bias = vector[width]
        file.svc.solver = solver
        file.svc.iterations = round
        file.svc.converged = true
        file.metrics = nil
        let numbers = file.scaler.mean + file.scaler.scale + file.pca.components.flatMap { $0 } + file.svc.weights
            + [file.svc.bias, file.svc.decisionOffset]
        file.id = ModelTrainer.contentHash(numbers)
        file.created = ISO8601DateFormatter().string(from: Date())
        do {
            _ = try DetectionModel(file: file, path: "<fleet model>")
        } catch {
            throw FleetError("the fleet model does not check: \(error)")
        }
        return file
    }
}
