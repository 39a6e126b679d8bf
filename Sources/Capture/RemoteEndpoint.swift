/// A remote endpoint a local host exchanged traffic with, for alert evidence.
public struct RemoteEndpoint: Hashable, Sendable, CustomStringConvertible {
    public var address: HostAddress
    public var port: UInt16
    /// IP protocol number (6 TCP, 17 UDP, ...).
    public var transport: UInt8
    /// Bytes exchanged, an upper bound (the busiest endpoints are counted with the space-saving algorithm).
    public var bytes: UInt64

    public init(address: HostAddress, port: UInt16, transport: UInt8, bytes: UInt64) {
        self.address = address
        self.port = port
        self.transport = transport
        self.bytes = bytes
    }

    /// `IP:PORT`, with brackets around IPv6.
    public var description: String {
        address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)"
    }

    /// "tcp", "udp", "icmp" or the protocol number.
    public var transportName: String {
        switch transport {
        case 6: "tcp"
        case 17: "udp"
        case 1, 58: "icmp"
        default: String(transport)
        }
    }
}
