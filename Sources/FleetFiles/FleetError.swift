/// A fleet step that cannot run: bad input arrays, a model that does not fit, an unwritable state file.
public struct FleetError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    /// An error with its message (what went wrong and what to do).
    public init(_ description: String) { self.description = description }
}
