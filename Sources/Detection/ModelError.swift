/// Why a model file was refused. The caller keeps the model it had.
public enum ModelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file could not be read or written.
    case io(path: String, reason: String)
    /// The file is not a model file: bad JSON, missing fields, wrong format tag.
    case corrupt(path: String, reason: String)
    /// The file's format version is not one this build reads.
    case unsupportedVersion(path: String, found: Int, supported: Int)
    /// The parts of the model do not fit together (dimensions, non-finite numbers, feature list).
    case inconsistent(path: String, reason: String)
    /// The model's settings are not ones the sensor can honour.
    case settingsMismatch(String)

    public var description: String {
        switch self {
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .corrupt(let path, let reason):
            return "\(path): not a valid CoinSentry model file (\(reason)); keep the previous model and retrain"
        case .unsupportedVersion(let path, let found, let supported):
            return "\(path): model format version \(found), this build reads version \(supported); "
                + "retrain with this build's `coinsentry train`"
        case .inconsistent(let path, let reason):
            return "\(path): the model's parts do not fit together: \(reason)"
        case .settingsMismatch(let reason):
            return "the model does not match the sensor's settings: \(reason)"
        }
    }
}
