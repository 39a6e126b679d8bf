/// One local host's traffic in one interval, as the capture path counts it and as a trace file stores it.
///
/// Bytes are IP bytes on the wire (IPv4 total length; IPv6 fixed header plus payload length), so a short snap length
/// does not change them. *Received* is remote → local, *sent* is local → remote.
public struct IntervalCounters: Hashable, Sendable {
    public var bytesReceived: UInt64
    public var bytesSent: UInt64
    public var packetsReceived: UInt64
    public var packetsSent: UInt64

    public init(bytesReceived: UInt64 = 0, bytesSent: UInt64 = 0, packetsReceived: UInt64 = 0, packetsSent: UInt64 = 0) {
        self.bytesReceived = bytesReceived
        self.bytesSent = bytesSent
        self.packetsReceived = packetsReceived
        self.packetsSent = packetsSent
    }

    /// No traffic at all in the interval.
    public static let zero = IntervalCounters()

    public var isZero: Bool { self == .zero }

    /// The element-wise sum, saturating rather than trapping on overflow.
    public static func + (lhs: IntervalCounters, rhs: IntervalCounters) -> IntervalCounters {
        func add(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow ? .max : sum
        }
        return IntervalCounters(
            bytesReceived: add(lhs.bytesReceived, rhs.bytesReceived),
            bytesSent: add(lhs.bytesSent, rhs.bytesSent),
            packetsReceived: add(lhs.packetsReceived, rhs.packetsReceived),
            packetsSent: add(lhs.packetsSent, rhs.packetsSent)
        )
    }

    public static func += (lhs: inout IntervalCounters, rhs: IntervalCounters) {
        lhs = lhs + rhs
    }
}
