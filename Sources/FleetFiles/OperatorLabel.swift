/// What an operator says a local host's traffic is, for fleet learning's local training (`coinsentryctl label`).
public enum OperatorLabel: String, Codable, CaseIterable, Hashable, Sendable {
    /// The host mines (a confirmed miner, found and looked at).
    case mining
    /// The host does not mine (an ordinary host, whatever its verdict said).
    case normal

    /// The names, for help and error texts: `mining or normal`.
    public static var names: String { allCases.map(\.rawValue).joined(separator: " or ") }
}
