import NIOCore

/// One line of the control protocol as it arrives: a request (without its newline), or the news that the peer sent more
/// than `ControlProtocol.maximumRequestBytes` without one.
enum ControlFrame: Sendable {
    case line(ByteBuffer)
    case tooLong
}

/// Splits the byte stream into lines, refusing one longer than `maximum` (after which the connection is closed).
struct ControlLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = ControlFrame

    var maximum = ControlProtocol.maximumRequestBytes

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > maximum {
                buffer.moveReaderIndex(to: buffer.writerIndex)
                context.fireChannelRead(wrapInboundOut(.tooLong))
            }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard length <= maximum, let line = buffer.readSlice(length: length) else {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            context.fireChannelRead(wrapInboundOut(.tooLong))
            return .needMoreData
        }
        buffer.moveReaderIndex(forwardBy: 1)
        context.fireChannelRead(wrapInboundOut(.line(line)))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState {
        // Whole lines still buffered are requests; an unterminated rest is not.
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
