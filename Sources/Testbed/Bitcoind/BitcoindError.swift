/// A problem with the regtest nodes of the `--bitcoind` mode: what happened and where to look.
public struct BitcoindError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) { self.description = description }
}
