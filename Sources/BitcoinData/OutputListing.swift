/// The addresses an output is found under, as block explorers list it, so that every output paying a key or an
/// address can be looked up by an address.
///
/// A pay-to-pubkey output belongs to its key, so it is listed under the key's P2PKH address (the genesis coinbase
/// under `1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa`). A bare multisig output has no single owner: it is listed under each of
/// its keys' P2PKH addresses.
public struct OutputListing: Sendable, Equatable {
    /// The output's owner: its own destination, or for pay-to-pubkey its key's P2PKH destination; nil for bare
    /// multisig and scripts naming neither an address nor a key.
    public var owner: Destination?
    /// For bare multisig, each distinct key's P2PKH destination in script order; empty otherwise.
    public var keys: [Destination]

    /// The listing of an output script.
    public init(scriptPubKey script: [UInt8]) {
        switch Script.kind(of: script) {
        case .p2pk:
            owner = Script.publicKeys(script).first.map { .pubkeyHash(Hashing.hash160($0)) }
            keys = []
        case .multisig:
            owner = nil
            var seen = Set<Destination>()
            keys = Script.publicKeys(script).map { Destination.pubkeyHash(Hashing.hash160($0)) }
                .filter { seen.insert($0).inserted }
        default:
            owner = Destination(scriptPubKey: script)
            keys = []
        }
    }

    /// Whether the output is found under no address at all (OP_RETURN and non-standard scripts).
    public var isUnlisted: Bool { owner == nil && keys.isEmpty }
}
