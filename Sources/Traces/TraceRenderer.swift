/// Renders a trace into Ethernet frames of one TCP connection whose per-interval IP bytes and packets equal the
/// trace's, so that a real traffic profile can be replayed through the capture path.
///
/// In each interval, a direction's `B` bytes in `n` packets become `B mod n` packets of `⌊B/n⌋ + 1` bytes and the
/// rest of `⌊B/n⌋` bytes (IP length), the two directions interleaved and spread evenly over the interval, strictly
/// inside it. A packet is at least an IP header (20 bytes IPv4, 40 IPv6); it carries as much of a TCP header as fits
/// and zero bytes of payload after it, with sequence numbers that advance by the payload.
public struct TraceRenderer: Sendable {
    /// One rendered frame.
    public struct Frame: Sendable {
        /// Microseconds since 1970-01-01 UTC.
        public var microseconds: Int64
        public var bytes: [UInt8]
    }

    /// Why a trace cannot be rendered.
    public enum RenderError: Error, Hashable, Sendable, CustomStringConvertible {
        case impossibleRow(row: Int, reason: String)
        case mixedAddressFamilies

        public var description: String {
            switch self {
            case .impossibleRow(let row, let reason): "row \(row): \(reason)"
            case .mixedAddressFamilies: "the local and remote addresses must both be IPv4 or both IPv6"
            }
        }
    }

    /// Addresses as 4 (IPv4) or 16 (IPv6) network-order bytes.
    public var local: [UInt8]
    public var remote: [UInt8]
    public var localPort: UInt16
    public var remotePort: UInt16
    /// Width of one rendered interval in microseconds (the trace's rows are placed this far apart).
    public var intervalMicroseconds: Int64
    /// When the first interval starts, in microseconds since 1970 (aligned to the interval width by the caller).
    public var startMicroseconds: Int64

    public init(local: [UInt8], remote: [UInt8], localPort: UInt16 = 40_000, remotePort: UInt16,
                intervalMicroseconds: Int64, startMicroseconds: Int64) throws(RenderError) {
        guard local.count == remote.count, local.count == 4 || local.count == 16 else { throw .mixedAddressFamilies }
        self.local = local
        self.remote = remote
        self.localPort = localPort
        self.remotePort = remotePort
        self.intervalMicroseconds = intervalMicroseconds
        self.startMicroseconds = startMicroseconds
    }

    private var isIPv6: Bool { local.count == 16 }
    private var ipHeaderLength: Int { isIPv6 ? 40 : 20 }

    /// Checks that every row can be rendered: packets where there are bytes, and each packet at least an IP header
    /// and at most 65,535 bytes.
    public func validate(_ rows: [IntervalCounters]) throws(RenderError) {
        for (index, row) in rows.enumerated() {
            for (bytes, packets, name) in [(row.bytesReceived, row.packetsReceived, "received"),
                                           (row.bytesSent, row.packetsSent, "sent")] {
                if packets == 0, bytes > 0 {
                    throw .impossibleRow(row: index + 1, reason: "\(bytes) bytes \(name) in no packet")
                }
                guard packets > 0 else { continue }
                if bytes / packets < UInt64(ipHeaderLength) {
                    throw .impossibleRow(row: index + 1, reason: "\(packets) packets \(name) cannot carry only \(bytes) bytes")
                }
                // The largest packet, rounded up; `bytes + packets - 1` would overflow for counters near 2^64.
                if bytes / packets + (bytes % packets == 0 ? 0 : 1) > 65_535 {
                    throw .impossibleRow(row: index + 1, reason: "\(bytes) bytes \(name) do not fit in \(packets) packets")
                }
            }
        }
    }

    /// Renders every row, calling `emit` for each frame in time order.
    /// - Throws: `RenderError` for a row that no real packets can produce (checked before anything is emitted).
    public func render(_ rows: [IntervalCounters], emit: (Frame) throws -> Void) throws {
        try validate(rows)
        var localSequence: UInt32 = 1_000
        var remoteSequence: UInt32 = 5_000
        for (index, row) in rows.enumerated() {
            let sizesSent = Self.sizes(bytes: row.bytesSent, packets: row.packetsSent)
            let sizesReceived = Self.sizes(bytes: row.bytesReceived, packets: row.packetsReceived)
            let total = sizesSent.count + sizesReceived.count
            guard total > 0 else { continue }
            let intervalStart = startMicroseconds + Int64(index) * intervalMicroseconds
            var sent = 0
            var received = 0
            for slot in 0..<total {
                // Interleave in proportion, so both directions spread over the whole interval.
                let sendNext = received >= sizesReceived.count
                    || (sent < sizesSent.count && sent * sizesReceived.count <= received * sizesSent.count)
                let offset = (Int64(slot) * 2 + 1) * intervalMicroseconds / (Int64(total) * 2)
                let time = intervalStart + min(max(offset, 0), intervalMicroseconds - 1)
                if sendNext {
                    let frame = packet(ipLength: sizesSent[sent], fromLocal: true,
                                       sequence: localSequence, acknowledgement: remoteSequence)
                    localSequence &+= UInt32(max(0, sizesSent[sent] - ipHeaderLength - 20))
                    sent += 1
                    try emit(Frame(microseconds: time, bytes: frame))
                } else {
                    let frame = packet(ipLength: sizesReceived[received], fromLocal: false,
                                       sequence: remoteSequence, acknowledgement: localSequence)
                    remoteSequence &+= UInt32(max(0, sizesReceived[received] - ipHeaderLength - 20))
                    received += 1
                    try emit(Frame(microseconds: time, bytes: frame))
                }
            }
        }
    }

    private static func sizes(bytes: UInt64, packets: UInt64) -> [Int] {
        guard packets > 0 else { return [] }
        let base = Int(bytes / packets)
        let larger = Int(bytes % packets)
        return (0..<Int(packets)).map { $0 < larger ? base + 1 : base }
    }

    private func packet(ipLength: Int, fromLocal: Bool, sequence: UInt32, acknowledgement: UInt32) -> [UInt8] {
        let source = fromLocal ? local : remote
        let destination = fromLocal ? remote : local
        var frame = [UInt8](repeating: 0, count: 14 + ipLength)
        // Ethernet: locally administered MACs, one per side.
        frame.replaceSubrange(0..<6, with: fromLocal ? Self.remoteMAC : Self.localMAC)
        frame.replaceSubrange(6..<12, with: fromLocal ? Self.localMAC : Self.remoteMAC)
        frame[12] = isIPv6 ? 0x86 : 0x08
        frame[13] = isIPv6 ? 0xdd : 0x00
        let ip = 14
        if isIPv6 {
            frame[ip] = 0x60
            Self.put16(&frame, ip + 4, UInt16(ipLength - 40))
            frame[ip + 6] = 6
            frame[ip + 7] = 64
            frame.replaceSubrange((ip + 8)..<(ip + 24), with: source)
            frame.replaceSubrange((ip + 24)..<(ip + 40), with: destination)
        } else {
            frame[ip] = 0x45
            Self.put16(&frame, ip + 2, UInt16(ipLength))
            frame[ip + 6] = 0x40  // don't fragment
            frame[ip + 8] = 64
            frame[ip + 9] = 6
            frame.replaceSubrange((ip + 12)..<(ip + 16), with: source)
            frame.replaceSubrange((ip + 16)..<(ip + 20), with: destination)
            Self.put16(&frame, ip + 10, Self.checksum(frame[ip..<(ip + 20)]))
        }
        let tcp = ip + ipHeaderLength
        var header = [UInt8](repeating: 0, count: 20)
        Self.put16(&header, 0, fromLocal ? localPort : remotePort)
        Self.put16(&header, 2, fromLocal ? remotePort : localPort)
        Self.put32(&header, 4, sequence)
        Self.put32(&header, 8, acknowledgement)
        header[12] = 0x50
        header[13] = ipLength - ipHeaderLength > 20 ? 0x18 : 0x10  // PSH+ACK with payload, ACK without
        Self.put16(&header, 14, 65_535)
        let room = min(20, frame.count - tcp)
        frame.replaceSubrange(tcp..<(tcp + room), with: header.prefix(room))
        return frame
    }

    private static let localMAC: [UInt8] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01]
    private static let remoteMAC: [UInt8] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02]

    private static func put16(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt16) {
        bytes[offset] = UInt8(value >> 8)
        bytes[offset + 1] = UInt8(value & 0xff)
    }

    private static func put32(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt32) {
        put16(&bytes, offset, UInt16(value >> 16))
        put16(&bytes, offset + 2, UInt16(value & 0xffff))
    }

    private static func checksum(_ header: ArraySlice<UInt8>) -> UInt16 {
        var sum: UInt32 = 0
        var index = header.startIndex
        while index < header.endIndex {
            sum += UInt32(header[index]) << 8 | UInt32(header[index + 1])
            index += 2
        }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }
}
