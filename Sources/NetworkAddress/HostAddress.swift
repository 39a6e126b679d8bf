#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address. IPv4 is held IPv4-mapped (`::ffff:a.b.c.d`), as the capture thread keeps it.
public struct HostAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The first and last eight of the sixteen address bytes, big-endian.
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The address in 16 network-order bytes.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "an address has 16 bytes")
        high = bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        low = bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text; nil when it is neither.
    public init?(_ text: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            let value = UInt32(bigEndian: v4.s_addr)
            self.init(high: 0, low: 0xffff_0000_0000 | UInt64(value))
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            self.init(bytes: bytes)
        } else {
            return nil
        }
    }

    /// True for an IPv4 (IPv4-mapped) address.
    public var isIPv4: Bool { high == 0 && (low >> 32) == 0xffff }

    /// The 16 bytes in network order.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
    }

    public var description: String {
        if isIPv4 {
            let value = UInt32(truncatingIfNeeded: low)
            return "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
        }
        var storage = in6_addr()
        withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: bytes) }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &storage, &text, socklen_t(text.count)) != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func < (lhs: HostAddress, rhs: HostAddress) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}
