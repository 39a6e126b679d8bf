import ChainAnalysis
import Detection
import Fleet
import FleetFiles
import Foundation

/// The base model of a federation, read from its file: it fixes everything that is not federated.
enum FleetBaseModel {
    case traffic(ModelFile)
    case address(BehaviourModel)

    /// Reads the base model of `federation` from `path`, checked as the daemons check the models they load.
    static func load(_ federation: FleetFederation, path: String) throws -> FleetBaseModel {
        switch federation {
        case .traffic:
            return .traffic(try DetectionModel.load(path).file)
        case .address:
            return .address(try AddressClassifier.load(path: path).model.requireLogistic())
        }
    }

    /// The shared vector of the base model itself.
    var vector: [Double] {
        switch self {
        case let .traffic(file): TrafficModelVector.vector(of: file)
        case let .address(model): AddressModelVector.vector(of: model)
        }
    }

    /// The number of features a data row holds.
    var width: Int {
        switch self {
        case let .traffic(file): file.features.count
        case let .address(model): model.featureNames.count
        }
    }

    /// Reads a global-arrays file: a 1-D float array (a 2-D one is flattened in C order).
    static func readVector(_ path: String) throws -> [Double] {
        let array = try NpyFile.read(path)
        guard array.shape.count <= 2 else { throw FleetError("\(path): shape \(array.shape), expected a vector") }
        return array.values
    }
}
