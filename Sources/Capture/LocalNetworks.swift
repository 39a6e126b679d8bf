/// One network in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`).
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    /// The network address, host bits cleared.
    public var address: HostAddress
    /// Prefix length as written (0–32 for IPv4, 0–128 for IPv6).
    public var prefixLength: Int

    /// Parses `ADDRESS/PREFIX`; a bare address is a single host (/32 or /128).
    ///
    /// - Throws: `CaptureError` with code `.invalidArgument` that names the text.
    public init(_ text: String) throws(CaptureError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = HostAddress(String(parts[0])) else {
            throw CaptureError(.invalidArgument, "'\(text)' is not a network: write ADDRESS/PREFIX, e.g. 10.0.0.0/8")
        }
        let maximum = address.isIPv4 ? 32 : 128
        var prefix = maximum
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...maximum).contains(value) else {
                throw CaptureError(.invalidArgument, "'\(text)': the prefix length must be 0 to \(maximum)")
            }
            prefix = value
        }
        self.prefixLength = prefix
        self.address = IPNetwork.masked(address, bits: prefix + (address.isIPv4 ? 96 : 0))
    }

    /// Prefix length in the 128-bit IPv4-mapped space the capture thread uses.
    public var mappedPrefixLength: Int { address.isIPv4 ? prefixLength + 96 : prefixLength }

    public func contains(_ host: HostAddress) -> Bool {
        IPNetwork.masked(host, bits: mappedPrefixLength) == address
    }

    public var description: String { "\(address)/\(prefixLength)" }

    private static func masked(_ address: HostAddress, bits: Int) -> HostAddress {
        func mask(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : bits >= 64 ? .max : ~(UInt64.max >> UInt64(bits)) }
        return HostAddress(high: address.high & mask(bits), low: address.low & mask(bits - 64))
    }
}
