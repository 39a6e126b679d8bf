import CCapture

/// What the packet parser of the capture thread makes of one frame.
public struct ParsedPacket: Hashable, Sendable {
    public enum Status: Hashable, Sendable {
        case ip
        case notIP
        case malformed(MalformedReason)
        case unsupportedLinkType
    }

    /// Why a frame counts as malformed.
    public enum MalformedReason: UInt8, Hashable, Sendable {
        case emptyFrame = 1, oversizedFrame, truncatedLinkHeader, truncatedIPHeader, badIPVersion, badHeaderLength
        case lengthExceedsFrame, badExtensionHeader
    }

    public var status: Status
    public var source: HostAddress
    public var destination: HostAddress
    /// The IP length counted: IPv4 total length, or IPv6 40 + payload length.
    public var ipLength: Int
    public var ipVersion: Int
    public var transport: UInt8
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// Offset and length of the TCP/UDP payload in the frame (0, 0 when unknown).
    public var payloadOffset: Int
    public var payloadLength: Int
    public var isFragment: Bool
    public var vlanTags: Int

    /// Parses a frame exactly as the capture thread does (`cs_parse_packet`).
    ///
    /// - Parameters:
    ///   - frame: the captured bytes.
    ///   - wireLength: the frame's length on the wire; defaults to the captured length.
    public init(linkType: Int32, frame: [UInt8], wireLength: Int? = nil) {
        var info = cs_packet_info()
        let wire = UInt32(clamping: wireLength ?? frame.count)
        let status = frame.withUnsafeBufferPointer {
            cs_parse_packet(linkType, $0.baseAddress, UInt32(clamping: $0.count), wire, &info)
        }
        switch UInt32(status) {
        case CS_PARSE_OK.rawValue: self.status = .ip
        case CS_PARSE_NOT_IP.rawValue: self.status = .notIP
        case CS_PARSE_MALFORMED.rawValue:
            self.status = .malformed(MalformedReason(rawValue: info.malformed_reason) ?? .emptyFrame)
        default: self.status = .unsupportedLinkType
        }
        source = address(info.source)
        destination = address(info.destination)
        ipLength = Int(info.ip_length)
        ipVersion = Int(info.ip_version)
        transport = info.protocol
        sourcePort = info.source_port
        destinationPort = info.destination_port
        payloadOffset = Int(info.payload_offset)
        payloadLength = Int(info.payload_length)
        isFragment = info.is_fragment != 0
        vlanTags = Int(info.vlan_depth)
    }
}
