/// Hand-built frames for parser and replay tests: each header written byte by byte from its RFC layout.
enum Frames {
    static func ipv4(_ text: String) -> [UInt8] {
        text.split(separator: ".").map { UInt8($0)! }
    }

    static func ipv6(_ groups: [UInt16]) -> [UInt8] {
        groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }

    static func tcp(sourcePort: UInt16, destinationPort: UInt16, payload: Int, flags: UInt8 = 0x18) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 20)
        header[0] = UInt8(sourcePort >> 8); header[1] = UInt8(sourcePort & 0xff)
        header[2] = UInt8(destinationPort >> 8); header[3] = UInt8(destinationPort & 0xff)
        header[12] = 0x50
        header[13] = flags
        return header + [UInt8](repeating: 0x61, count: payload)
    }

    /// A TCP header followed by the given payload bytes.
    static func tcp(sourcePort: UInt16, destinationPort: UInt16, bytes: [UInt8], flags: UInt8 = 0x18) -> [UInt8] {
        tcp(sourcePort: sourcePort, destinationPort: destinationPort, payload: 0, flags: flags) + bytes
    }

    /// A TCP header with a sequence number followed by the given payload bytes.
    static func tcp(sourcePort: UInt16, destinationPort: UInt16, bytes: [UInt8], seq: UInt32,
                    flags: UInt8 = 0x18) -> [UInt8] {
        var header = tcp(sourcePort: sourcePort, destinationPort: destinationPort, payload: 0, flags: flags)
        header[4] = UInt8(seq >> 24); header[5] = UInt8(seq >> 16 & 0xff)
        header[6] = UInt8(seq >> 8 & 0xff); header[7] = UInt8(seq & 0xff)
        return header + bytes
    }

    /// A UDP header followed by the given payload bytes.
    static func udp(sourcePort: UInt16, destinationPort: UInt16, bytes: [UInt8]) -> [UInt8] {
        let length = 8 + bytes.count
        return [UInt8(sourcePort >> 8), UInt8(sourcePort & 0xff), UInt8(destinationPort >> 8),
                UInt8(destinationPort & 0xff), UInt8(length >> 8), UInt8(length & 0xff), 0, 0] + bytes
    }

    static func udp(sourcePort: UInt16, destinationPort: UInt16, payload: Int) -> [UInt8] {
        let length = 8 + payload
        return [UInt8(sourcePort >> 8), UInt8(sourcePort & 0xff), UInt8(destinationPort >> 8),
                UInt8(destinationPort & 0xff), UInt8(length >> 8), UInt8(length & 0xff), 0, 0]
            + [UInt8](repeating: 0x62, count: payload)
    }

    /// An IPv4 packet; `totalLength` overrides the honest length to make liars.
    static func ipv4Packet(from source: String, to destination: String, protocol transport: UInt8 = 6,
                           transportBytes: [UInt8], totalLength: Int? = nil, fragmentOffset: UInt16 = 0,
                           headerWords: UInt8 = 5) -> [UInt8] {
        let options = [UInt8](repeating: 1, count: max(0, Int(headerWords) - 5) * 4)
        let length = totalLength ?? (20 + options.count + transportBytes.count)
        var header: [UInt8] = [0x40 | headerWords, 0, UInt8(length >> 8 & 0xff), UInt8(length & 0xff), 0, 1,
                               UInt8(fragmentOffset >> 8), UInt8(fragmentOffset & 0xff), 64, transport, 0, 0]
        header += ipv4(source) + ipv4(destination)
        return header + options + transportBytes
    }

    /// An IPv6 packet with optional extension headers given as (type, bytes) in order.
    static func ipv6Packet(from source: [UInt8], to destination: [UInt8], extensions: [(UInt8, [UInt8])] = [],
                           transport: UInt8 = 6, transportBytes: [UInt8], payloadLength: Int? = nil) -> [UInt8] {
        var chain = [UInt8]()
        let types = extensions.map(\.0) + [transport]
        for (index, (_, body)) in extensions.enumerated() {
            var header = body
            header[0] = types[index + 1]
            chain += header
        }
        let payload = chain + transportBytes
        let length = payloadLength ?? payload.count
        var header: [UInt8] = [0x60, 0, 0, 0, UInt8(length >> 8 & 0xff), UInt8(length & 0xff),
                               extensions.first?.0 ?? transport, 64]
        header += source + destination
        return header + payload
    }

    static func ethernet(_ payload: [UInt8], etherType: UInt16 = 0x0800, vlans: [UInt16] = []) -> [UInt8] {
        var frame: [UInt8] = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]
        for (index, tpid) in vlans.enumerated() {
            frame += [UInt8(tpid >> 8), UInt8(tpid & 0xff)]
            frame += [0, UInt8(10 + index)]
        }
        return frame + [UInt8(etherType >> 8), UInt8(etherType & 0xff)] + payload
    }

    static func linuxCooked(_ payload: [UInt8], etherType: UInt16 = 0x0800) -> [UInt8] {
        [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, UInt8(etherType >> 8), UInt8(etherType & 0xff)] + payload
    }

    static func linuxCookedV2(_ payload: [UInt8], etherType: UInt16 = 0x0800) -> [UInt8] {
        [UInt8(etherType >> 8), UInt8(etherType & 0xff), 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0]
            + payload
    }

    /// BSD loopback: the address family in host (little-endian here) order.
    static func bsdLoopback(_ payload: [UInt8], family: UInt32 = 2) -> [UInt8] {
        [UInt8(family & 0xff), UInt8(family >> 8 & 0xff), UInt8(family >> 16 & 0xff), UInt8(family >> 24)] + payload
    }
}
