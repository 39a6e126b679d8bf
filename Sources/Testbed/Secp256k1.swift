import CSecp256k1

/// An error from libsecp256k1: the C function that refused and why.
public struct Secp256k1Error: Error, CustomStringConvertible, Sendable, Equatable {
    /// The libsecp256k1 function that returned failure.
    public var function: String
    /// What the failure means.
    public var reason: String

    public var description: String { "\(function): \(reason)" }
}

/// The one libsecp256k1 context of the process.
///
/// `@unchecked Sendable`: libsecp256k1 documents every function taking a `const secp256k1_context*` as safe to call
/// from several threads at once; the context is never randomised or otherwise mutated after creation.
private final class Secp256k1Context: @unchecked Sendable {
    let pointer: OpaquePointer

    init() {
        guard let context = secp256k1_context_create(csecp256k1_context_none()) else {
            fatalError("secp256k1_context_create failed: out of memory")
        }
        pointer = context
    }

    static let shared = Secp256k1Context()
}

/// A secp256k1 private key, with the public keys and signatures Bitcoin needs: compressed SEC1 public keys,
/// DER-encoded low-S ECDSA (legacy and segwit v0), x-only keys and BIP-340 Schnorr signatures (taproot).
public struct PrivateKey: Sendable, Hashable {
    /// The 32-byte secret.
    public let bytes: [UInt8]

    /// Creates a key from 32 bytes.
    ///
    /// - Throws: ``Secp256k1Error`` from `secp256k1_ec_seckey_verify` when the bytes are zero or not below the
    ///   group order.
    public init(bytes: [UInt8]) throws(Secp256k1Error) {
        guard bytes.count == 32, secp256k1_ec_seckey_verify(Secp256k1Context.shared.pointer, bytes) == 1 else {
            throw Secp256k1Error(function: "secp256k1_ec_seckey_verify",
                                 reason: "a private key is 32 bytes, non-zero and below the curve order")
        }
        self.bytes = bytes
    }

    private var context: OpaquePointer { Secp256k1Context.shared.pointer }

    /// The 33-byte compressed public key (`secp256k1_ec_pubkey_create`, `secp256k1_ec_pubkey_serialize`).
    public var publicKey: [UInt8] {
        var point = secp256k1_pubkey()
        precondition(secp256k1_ec_pubkey_create(context, &point, bytes) == 1, "valid key checked at creation")
        var output = [UInt8](repeating: 0, count: 33)
        var length = 33
        _ = secp256k1_ec_pubkey_serialize(context, &output, &length, &point, csecp256k1_ec_compressed())
        return output
    }

    /// Signs a 32-byte digest with ECDSA (`secp256k1_ecdsa_sign`, RFC 6979 nonces, so deterministic), returning
    /// the DER encoding; libsecp256k1 always produces the low-S form that BIP-146 and standardness require.
    public func signECDSA(digest: [UInt8]) -> [UInt8] {
        precondition(digest.count == 32, "ECDSA signs a 32-byte digest")
        var signature = secp256k1_ecdsa_signature()
        precondition(secp256k1_ecdsa_sign(context, &signature, digest, bytes, nil, nil) == 1,
                     "secp256k1_ecdsa_sign fails only for an invalid key")
        var output = [UInt8](repeating: 0, count: 72)
        var length = 72
        _ = secp256k1_ecdsa_signature_serialize_der(context, &output, &length, &signature)
        return Array(output[0..<length])
    }

    /// The 32-byte x-only public key (BIP-340) of this key (`secp256k1_keypair_xonly_pub`).
    public var xOnlyPublicKey: [UInt8] {
        var keypair = makeKeypair()
        var xOnly = secp256k1_xonly_pubkey()
        _ = secp256k1_keypair_xonly_pub(context, &xOnly, nil, &keypair)
        return Self.serialize(xOnly)
    }

    /// The x-only public key of this key tweaked by `tweak` (the taproot output key Q = P + tG with P even-y),
    /// from `secp256k1_keypair_xonly_tweak_add`.
    ///
    /// - Throws: ``Secp256k1Error`` when the tweak is out of range (probability about 2^-128).
    public func tweakedXOnlyPublicKey(tweak: [UInt8]) throws(Secp256k1Error) -> [UInt8] {
        var keypair = try tweakedKeypair(tweak)
        var xOnly = secp256k1_xonly_pubkey()
        _ = secp256k1_keypair_xonly_pub(context, &xOnly, nil, &keypair)
        return Self.serialize(xOnly)
    }

    /// Signs a 32-byte message with BIP-340 Schnorr (`secp256k1_schnorrsig_sign32`) using this key tweaked by
    /// `tweak` (taproot key-path), or untweaked when `tweak` is nil. No auxiliary randomness is mixed in, so the
    /// signature is a function of key and message, which keeps testbed runs reproducible.
    public func signSchnorr(message: [UInt8], tweak: [UInt8]?) throws(Secp256k1Error) -> [UInt8] {
        precondition(message.count == 32, "BIP-340 signs a 32-byte message here")
        var keypair = try tweak.map { tweak throws(Secp256k1Error) in try tweakedKeypair(tweak) } ?? makeKeypair()
        var signature = [UInt8](repeating: 0, count: 64)
        guard secp256k1_schnorrsig_sign32(context, &signature, message, &keypair, nil) == 1 else {
            throw Secp256k1Error(function: "secp256k1_schnorrsig_sign32", reason: "signing failed")
        }
        return signature
    }

    private func makeKeypair() -> secp256k1_keypair {
        var keypair = secp256k1_keypair()
        precondition(secp256k1_keypair_create(context, &keypair, bytes) == 1, "valid key checked at creation")
        return keypair
    }

    private func tweakedKeypair(_ tweak: [UInt8]) throws(Secp256k1Error) -> secp256k1_keypair {
        precondition(tweak.count == 32, "a tweak is 32 bytes")
        var keypair = makeKeypair()
        guard secp256k1_keypair_xonly_tweak_add(context, &keypair, tweak) == 1 else {
            throw Secp256k1Error(function: "secp256k1_keypair_xonly_tweak_add", reason: "tweak out of range")
        }
        return keypair
    }

    private static func serialize(_ key: secp256k1_xonly_pubkey) -> [UInt8] {
        var key = key
        var output = [UInt8](repeating: 0, count: 32)
        _ = secp256k1_xonly_pubkey_serialize(Secp256k1Context.shared.pointer, &output, &key)
        return output
    }
}

/// Signature verification against libsecp256k1, as Bitcoin Core's script interpreter does it.
public enum SignatureVerifier {
    /// Whether `signature` (DER, without a sighash byte) is a valid low-S ECDSA signature of `digest` by the SEC1
    /// `publicKey` (`secp256k1_ecdsa_signature_parse_der`, `secp256k1_ecdsa_verify`, which rejects high S).
    public static func verifyECDSA(signature: [UInt8], digest: [UInt8], publicKey: [UInt8]) -> Bool {
        let context = Secp256k1Context.shared.pointer
        var parsed = secp256k1_ecdsa_signature()
        var point = secp256k1_pubkey()
        guard digest.count == 32,
              secp256k1_ecdsa_signature_parse_der(context, &parsed, signature, signature.count) == 1,
              secp256k1_ec_pubkey_parse(context, &point, publicKey, publicKey.count) == 1 else { return false }
        return secp256k1_ecdsa_verify(context, &parsed, digest, &point) == 1
    }

    /// Whether `signature` (64 bytes) is a valid BIP-340 signature of the 32-byte `message` by the x-only
    /// `publicKey` (`secp256k1_xonly_pubkey_parse`, `secp256k1_schnorrsig_verify`).
    public static func verifySchnorr(signature: [UInt8], message: [UInt8], xOnlyPublicKey: [UInt8]) -> Bool {
        let context = Secp256k1Context.shared.pointer
        var key = secp256k1_xonly_pubkey()
        guard signature.count == 64, xOnlyPublicKey.count == 32,
              secp256k1_xonly_pubkey_parse(context, &key, xOnlyPublicKey) == 1 else { return false }
        return secp256k1_schnorrsig_verify(context, signature, message, message.count, &key) == 1
    }
}
