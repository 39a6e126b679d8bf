/// The 80-byte block header.
public struct BlockHeader: Sendable, Equatable {
    /// Block version (with BIP-9 version bits).
    public var version: Int32
    /// Hash of the previous block's header.
    public var previousBlockHash: Hash256
    /// Merkle root of the block's transaction ids.
    public var merkleRoot: Hash256
    /// Block time, seconds since the Unix epoch.
    public var time: UInt32
    /// Difficulty target in compact form.
    public var bits: UInt32
    /// The nonce that makes the header hash meet the target.
    public var nonce: UInt32

    /// Creates a header.
    public init(version: Int32, previousBlockHash: Hash256, merkleRoot: Hash256, time: UInt32, bits: UInt32,
                nonce: UInt32) {
        self.version = version
        self.previousBlockHash = previousBlockHash
        self.merkleRoot = merkleRoot
        self.time = time
        self.bits = bits
        self.nonce = nonce
    }

    /// Size of a serialised header.
    public static let size = 80

    /// Reads a header at the reader's position.
    public init(from reader: inout ByteReader) throws(BitcoinDataError) {
        version = Int32(bitPattern: try reader.readUInt32("header version"))
        previousBlockHash = try reader.readHash("previous block hash")
        merkleRoot = try reader.readHash("merkle root")
        time = try reader.readUInt32("block time")
        bits = try reader.readUInt32("bits")
        nonce = try reader.readUInt32("nonce")
    }

    /// The 80-byte serialisation.
    public var serialized: [UInt8] {
        var writer = ByteWriter(capacity: 80)
        writer.write(UInt32(bitPattern: version))
        writer.write(previousBlockHash)
        writer.write(merkleRoot)
        writer.write(time)
        writer.write(bits)
        writer.write(nonce)
        return writer.bytes
    }

    /// The block hash: double SHA-256 of the header.
    public var hash: Hash256 { Hashing.hash256(serialized) }

    /// The target the hash must not exceed, expanded from ``bits``; nil for a negative or overflowing encoding.
    public var target: [UInt8]? {
        let exponent = Int(bits >> 24)
        let mantissa = bits & 0x007f_ffff
        if bits & 0x0080_0000 != 0, mantissa != 0 { return nil }
        var big = [UInt8](repeating: 0, count: 32)
        // Little-endian 256-bit number: mantissa * 256^(exponent-3).
        for index in 0..<3 {
            let byte = UInt8(truncatingIfNeeded: mantissa >> (8 * UInt32(index)))
            let position = exponent - 3 + index
            if position < 0 { continue }
            if position >= 32 {
                if byte != 0 { return nil }
                continue
            }
            big[position] = byte
        }
        return big
    }

    /// Whether the header hash meets its own target (proof of work; the target itself is not checked against the
    /// chain's difficulty rules).
    public var hasValidProofOfWork: Bool {
        guard let target else { return false }
        return Hash256(target) >= hash
    }

    /// Checks proof of work as a node does: ``bits`` must encode a positive target no higher than the network's
    /// limit, and the header hash must not exceed that target.
    ///
    /// - Throws: ``BitcoinDataError`` with code `.malformed` for unusable bits and `.mismatch` for a hash above the
    ///   target, the hash and target written out.
    public func checkProofOfWork(on network: BitcoinNetwork) throws(BitcoinDataError) {
        let bitsText = "bits 0x" + String(bits, radix: 16)
        guard let target, target.contains(where: { $0 != 0 }) else {
            throw BitcoinDataError(.malformed, "\(bitsText) encode no positive target")
        }
        let expanded = Hash256(target)
        guard expanded <= network.proofOfWorkLimit else {
            throw BitcoinDataError(.malformed, "\(bitsText) encode target \(expanded), above the \(network) limit "
                                   + "\(network.proofOfWorkLimit)")
        }
        let hash = hash
        guard hash <= expanded else {
            throw BitcoinDataError(.mismatch, "proof of work fails: hash \(hash) above target \(expanded)")
        }
    }

    /// Work represented by this header (2^256 / (target + 1)), as a Double: enough to compare chains.
    public var work: Double {
        guard let target else { return 0 }
        var value = 0.0
        for byte in target.reversed() { value = value * 256 + Double(byte) }
        return 1.157920892373162e77 / (value + 1)
    }
}
