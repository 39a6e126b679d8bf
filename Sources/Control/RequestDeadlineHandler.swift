import NIOCore

/// Closes a connection that has not completed a request within `deadline` of opening or of its last reply, after an
/// error reply saying so: a client that sends a byte a second, or connects and says nothing, cannot hold one of the
/// server's connections for ever. The time a request spends being answered does not count.
final class RequestDeadlineHandler: ChannelDuplexHandler {
    typealias InboundIn = ControlFrame
    typealias InboundOut = ControlFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let deadline: TimeAmount
    private var timer: Scheduled<Void>?

    init(deadline: TimeAmount) {
        self.deadline = deadline
    }

    func handlerAdded(context: ChannelHandlerContext) {
        arm(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        disarm()  // a whole request (or news of an oversized one) came: its answer is under way
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        arm(context)
    }

    private func arm(_ context: ChannelHandlerContext) {
        disarm()
        let seconds = Double(deadline.nanoseconds) / 1e9
        let message = ControlProtocol.failure("no complete request within \(seconds) s; connection closed").line + "\n"
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: deadline) {
            let context = bound.value
            context.writeAndFlush(NIOAny(ByteBuffer(string: message))).whenComplete { _ in
                bound.value.close(promise: nil)
            }
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}
