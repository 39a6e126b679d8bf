import ChainAnalysis
import FleetFiles

/// The address-behaviour model's share in a federation: its weights (one row per class) and biases, as one vector
/// `[W₁,₁ … W_c,f, b₁ … b_c]` (C order, `c` classes, `f` features).
///
/// Classes, feature names, standardisation and temperature are not federated: they stay those of the base model
/// (trained on a public bootstrap set, e.g. a testbed run), so every participant's weights live in one space.
public enum AddressModelVector {
    /// The shared vector of a model.
    public static func vector(of model: BehaviourModel) -> [Double] { model.weights.flatMap { $0 } + model.bias }

    /// The base model with weights and biases replaced by `vector`.
    ///
    /// - Throws: `FleetError` when the vector does not fit the base model or is not finite.
    public static func model(_ vector: [Double], base: BehaviourModel) throws(FleetError) -> BehaviourModel {
        let classes = base.classes.count, width = base.featureNames.count
        guard vector.count == classes * (width + 1) else {
            throw FleetError("the global arrays hold \(vector.count) numbers; the base model needs "
                + "\(classes * (width + 1)) (\(classes) classes × \(width) features, and \(classes) biases)")
        }
        guard vector.allSatisfy(\.isFinite) else { throw FleetError("the global arrays hold non-finite numbers") }
        var model = base
        model.weights = (0..<classes).map { Array(vector[($0 * width)..<(($0 + 1) * width)]) }
        model.bias = Array(vector[(classes * width)...])
        return model
    }

    /// FNV-1a 64 over the vector's bit patterns, as 16 hex digits: names an address model in the state file.
    public static func id(_ vector: [Double]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for number in vector {
            var bits = number.bitPattern
            for _ in 0..<8 {
                hash = (hash ^ (bits & 0xff)) &* 0x100_0000_01b3
                bits >>= 8
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
