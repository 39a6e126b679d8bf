import Crypto

/// The hash functions Bitcoin uses, over byte arrays.
public enum Hashing {
    /// SHA-256 of `data`.
    public static func sha256<C: Collection>(_ data: C) -> [UInt8] where C.Element == UInt8 {
        Array(SHA256.hash(data: Array(data)))
    }

    /// SHA-256 applied twice (block hashes, txids, merkle nodes, base58check checksums).
    public static func doubleSHA256<C: Collection>(_ data: C) -> [UInt8] where C.Element == UInt8 {
        Array(SHA256.hash(data: Array(SHA256.hash(data: Array(data)))))
    }

    /// Double SHA-256 of `data` as a ``Hash256``.
    public static func hash256<C: Collection>(_ data: C) -> Hash256 where C.Element == UInt8 {
        Hash256(doubleSHA256(data))
    }

    /// RIPEMD-160 of SHA-256 (the 20-byte payload of P2PKH, P2SH and P2WPKH).
    public static func hash160<C: Collection>(_ data: C) -> [UInt8] where C.Element == UInt8 {
        RIPEMD160.hash(sha256(data))
    }
}
