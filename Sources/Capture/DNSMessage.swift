import CCapture

/// What the capture thread's DNS parser makes of one DNS message (`cs_dns_parse`).
public struct DNSMessage: Hashable, Sendable {
    public enum Status: Int32, Hashable, Sendable {
        case ok = 0, notDNS, truncated, badPointer, pointerLoop, nameTooLong
    }

    public var status: Status
    public var isResponse: Bool
    /// The first question's name, lowercased and dotted; nil when none was read.
    public var name: String?
    /// The A/AAAA answers kept (at most 8), and the smallest TTL among them.
    public var addresses: [HostAddress]
    public var minimumTTL: UInt32

    /// Parses a DNS message (a UDP payload, or a TCP payload after its two length bytes).
    public init(_ bytes: [UInt8]) {
        var result = cs_dns_result()
        let raw = bytes.withUnsafeBufferPointer { cs_dns_parse($0.baseAddress, $0.count, &result) }
        status = Status(rawValue: raw) ?? .notDNS
        isResponse = result.is_response != 0
        name = result.name_length == 0 ? nil : withUnsafeBytes(of: result.name) {
            String(decoding: $0.prefix(Int(result.name_length)), as: UTF8.self)
        }
        addresses = withUnsafeBytes(of: result.addresses) { raw in
            Array(raw.bindMemory(to: cs_addr.self).prefix(Int(result.address_count)).map(address))
        }
        minimumTTL = result.min_ttl
    }
}
