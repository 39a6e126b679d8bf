/// A `.npy` file that cannot be read or written, or an array of the wrong shape.
public enum NpyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file could not be read or written.
    case io(path: String, reason: String)
    /// The bytes are not a `.npy` file this reader handles.
    case format(path: String, reason: String)
    /// The array's shape is not the one expected.
    case shape(String)

    public var description: String {
        switch self {
        case let .io(path, reason): "\(path): \(reason)"
        case let .format(path, reason): "\(path): not a readable .npy file: \(reason)"
        case let .shape(reason): reason
        }
    }
}
