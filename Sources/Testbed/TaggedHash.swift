import BitcoinData

/// BIP-340 tagged hashes and the BIP-341 key-path-only taproot tweak.
public enum TaggedHash {
    /// `SHA256(SHA256(tag) || SHA256(tag) || message)` (BIP-340).
    public static func hash(tag: String, _ message: [UInt8]) -> [UInt8] {
        let tagHash = Hashing.sha256(Array(tag.utf8))
        return Hashing.sha256(tagHash + tagHash + message)
    }

    /// The tweak of an internal x-only key with no script tree: `hash_TapTweak(P)` (BIP-341, as BIP-86 uses it).
    public static func tapTweak(internalKey: [UInt8]) -> [UInt8] {
        hash(tag: "TapTweak", internalKey)
    }
}
