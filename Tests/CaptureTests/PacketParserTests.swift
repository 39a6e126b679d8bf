import Capture
import Testing

@Suite struct PacketParserTests {
    let client = "192.168.1.10"
    let server = "203.0.113.7"
    var tcpSegment: [UInt8] { Frames.tcp(sourcePort: 40_000, destinationPort: 3333, payload: 100) }

    private func parse(_ linkType: LinkType, _ frame: [UInt8], wire: Int? = nil) -> ParsedPacket {
        ParsedPacket(linkType: linkType.rawValue, frame: frame, wireLength: wire)
    }

    @Test func ethernetIPv4TCPGivesAddressesPortsLengthAndPayload() {
        let packet = parse(.ethernet, Frames.ethernet(Frames.ipv4Packet(from: client, to: server, transportBytes: tcpSegment)))
        #expect(packet.status == .ip)
        #expect(packet.source == HostAddress(client))
        #expect(packet.destination == HostAddress(server))
        #expect(packet.ipLength == 140)
        #expect(packet.ipVersion == 4)
        #expect(packet.transport == 6)
        #expect(packet.sourcePort == 40_000)
        #expect(packet.destinationPort == 3333)
        #expect(packet.payloadOffset == 14 + 20 + 20)
        #expect(packet.payloadLength == 100)
    }

    @Test(arguments: [[UInt16(0x8100)], [0x88a8, 0x8100], [0x9100, 0x8100]])
    func vlanTagsAreSkipped(tags: [UInt16]) {
        let frame = Frames.ethernet(Frames.ipv4Packet(from: client, to: server, transportBytes: tcpSegment), vlans: tags)
        let packet = parse(.ethernet, frame)
        #expect(packet.status == .ip)
        #expect(packet.vlanTags == tags.count)
        #expect(packet.ipLength == 140)
        #expect(packet.destinationPort == 3333)
    }

    @Test func linuxCookedCapturesBothVersions() {
        let ip = Frames.ipv4Packet(from: client, to: server, protocol: 17,
                                   transportBytes: Frames.udp(sourcePort: 5353, destinationPort: 53, payload: 30))
        for packet in [parse(.linuxCooked, Frames.linuxCooked(ip)), parse(.linuxCookedV2, Frames.linuxCookedV2(ip))] {
            #expect(packet.status == .ip)
            #expect(packet.transport == 17)
            #expect(packet.destinationPort == 53)
            #expect(packet.ipLength == 58)
            #expect(packet.payloadLength == 30)
        }
    }

    @Test func rawIPAndBSDLoopbackFollowTheVersionNibble() {
        let v4 = Frames.ipv4Packet(from: client, to: server, transportBytes: tcpSegment)
        let v6 = Frames.ipv6Packet(from: Frames.ipv6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]),
                                   to: Frames.ipv6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 2]), transportBytes: tcpSegment)
        #expect(parse(.rawIP, v4).ipVersion == 4)
        #expect(parse(.rawIP, v6).ipVersion == 6)
        #expect(parse(.ipv4, v4).ipLength == 140)
        #expect(parse(.ipv6, v6).ipLength == 160)
        #expect(parse(.bsdLoopback, Frames.bsdLoopback(v4)).status == .ip)
        #expect(parse(.bsdLoopback, Frames.bsdLoopback(v6, family: 30)).ipVersion == 6)
        #expect(parse(.bsdLoopback, Frames.bsdLoopback(v4, family: 7)).status == .notIP)
    }

    @Test func ipv6ExtensionHeadersAreSkippedToTheTransport() {
        let hopByHop: (UInt8, [UInt8]) = (0, [0, 0, 1, 4, 0, 0, 0, 0])
        let destinationOptions: (UInt8, [UInt8]) = (60, [0, 1, 1, 12] + [UInt8](repeating: 0, count: 12))
        let firstFragment: (UInt8, [UInt8]) = (44, [0, 0, 0, 1, 0, 0, 0, 42])
        let packet = parse(.ethernet, Frames.ethernet(
            Frames.ipv6Packet(from: Frames.ipv6([0xfd00, 0, 0, 0, 0, 0, 0, 5]), to: Frames.ipv6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 9]),
                              extensions: [hopByHop, destinationOptions, firstFragment], transportBytes: tcpSegment),
            etherType: 0x86dd))
        #expect(packet.status == .ip)
        #expect(packet.transport == 6)
        #expect(packet.destinationPort == 3333)
        #expect(packet.ipLength == 40 + 8 + 16 + 8 + 120)
        #expect(packet.payloadLength == 100)
        #expect(!packet.isFragment)
    }

    @Test func laterFragmentsCountBytesWithoutPorts() {
        let v4 = parse(.ethernet, Frames.ethernet(Frames.ipv4Packet(from: client, to: server, transportBytes: tcpSegment,
                                                                    fragmentOffset: 185)))
        #expect(v4.status == .ip)
        #expect(v4.isFragment)
        #expect(v4.destinationPort == 0)
        #expect(v4.ipLength == 140)
        let fragment: (UInt8, [UInt8]) = (44, [0, 0, 0x05, 0xc8, 0, 0, 0, 42])
        let v6 = parse(.ipv6, Frames.ipv6Packet(from: Frames.ipv6([0xfd00, 0, 0, 0, 0, 0, 0, 5]),
                                                to: Frames.ipv6([0xfd00, 0, 0, 0, 0, 0, 0, 6]),
                                                extensions: [fragment], transportBytes: tcpSegment))
        #expect(v6.isFragment)
        #expect(v6.transport == 6)
        #expect(v6.ipLength == 168)
    }

    @Test func shortSnapLengthKeepsTheIPLength() {
        let frame = Frames.ethernet(Frames.ipv4Packet(from: client, to: server, transportBytes: tcpSegment))
        let packet = parse(.ethernet, Array(frame.prefix(64)), wire: frame.count)
        #expect(packet.status == .ip)
        #expect(packet.ipLength == 140)
        #expect(packet.destinationPort == 3333)
    }

    @Test func segmentationOffloadSuperPacketTakesTheFrameLength() {
        let frame = Frames.ethernet(Frames.ipv4Packet(from: client, to: server, transportBytes: tcpSegment, totalLength: 0))
        let packet = parse(.ethernet, Array(frame.prefix(80)), wire: frame.count)
        #expect(packet.status == .ip)
        #expect(packet.ipLength == 140)
    }

    @Test func ethernetPaddingIsNotALie() {
        let small = Frames.ipv4Packet(from: client, to: server, transportBytes: Frames.tcp(sourcePort: 1, destinationPort: 2,
                                                                                         payload: 0, flags: 0x10))
        let padded = Frames.ethernet(small) + [UInt8](repeating: 0, count: 6)
        let packet = parse(.ethernet, padded)
        #expect(packet.status == .ip)
        #expect(packet.ipLength == 40)
    }

    @Test func framesWithoutIPAreNotIP() {
        let arp = Frames.ethernet([UInt8](repeating: 0, count: 28), etherType: 0x0806)
        #expect(parse(.ethernet, arp).status == .notIP)
        let lldpInVLAN = Frames.ethernet([UInt8](repeating: 0, count: 40), etherType: 0x88cc, vlans: [0x8100])
        #expect(parse(.ethernet, lldpInVLAN).status == .notIP)
    }

    @Test func malformedFramesAreNamed() {
        let good = Frames.ipv4Packet(from: client, to: server, transportBytes: tcpSegment)
        let cases: [([UInt8], Int?, ParsedPacket.MalformedReason)] = [
            ([], nil, .emptyFrame),
            (Frames.ethernet(good), 300_000, .oversizedFrame),
            ([1, 2, 3, 4, 5, 6, 7], nil, .truncatedLinkHeader),
            (Array(Frames.ethernet(good, vlans: [0x8100]).prefix(16)), nil, .truncatedLinkHeader),
            (Array(Frames.ethernet(good).prefix(30)), nil, .truncatedIPHeader),
            (Frames.ethernet(good, etherType: 0x86dd), nil, .badIPVersion),
            (Frames.ethernet(Frames.ipv4Packet(from: client, to: server, transportBytes: tcpSegment, headerWords: 4)), nil,
             .badHeaderLength),
            (Frames.ethernet(Frames.ipv4Packet(from: client, to: server, transportBytes: tcpSegment, totalLength: 12)), nil,
             .badHeaderLength),
            (Frames.ethernet(Frames.ipv4Packet(from: client, to: server, transportBytes: tcpSegment, totalLength: 1400)), nil,
             .lengthExceedsFrame),
            (Frames.ethernet(Frames.ipv6Packet(from: Frames.ipv6([0xfd00, 0, 0, 0, 0, 0, 0, 1]),
                                               to: Frames.ipv6([0xfd00, 0, 0, 0, 0, 0, 0, 2]),
                                               extensions: [(0, [0, 200, 0, 0, 0, 0, 0, 0])], transportBytes: [],
                                               payloadLength: 8), etherType: 0x86dd), nil, .badExtensionHeader),
        ]
        for (frame, wire, reason) in cases {
            #expect(parse(.ethernet, frame, wire: wire).status == .malformed(reason), "expected \(reason)")
        }
    }

    @Test func unsupportedLinkTypeIsSaid() {
        #expect(ParsedPacket(linkType: 105, frame: [1, 2, 3]).status == .unsupportedLinkType)
    }
}
