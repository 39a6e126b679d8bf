/// A Flower run id: an unsigned 64-bit number in the state file (written by the ServerApp and ClientApp), kept as
/// text so that JSON readers that hold numbers as doubles do not round it.
public struct FleetRunID: Codable, Hashable, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }

    /// Reads a number, or text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(UInt64.self) {
            description = String(number)
        } else {
            description = try container.decode(String.self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
