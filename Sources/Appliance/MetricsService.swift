import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// Serves `GET /metrics` (the Prometheus text format) over HTTP on the configured loopback address, for as long as
/// the daemon runs. Any other path is 404, any other method 405.
public final class MetricsService: Service, Sendable {
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup

    /// Binds now, so that a taken port or a bad address stops start-up before capture begins.
    /// - Throws: when the address cannot be bound.
    public init(host: String, port: Int, metrics: SensorMetrics, engine: SensorEngine) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        do {
            channel = try ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 64)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.pipeline.configureHTTPServerPipeline().flatMap {
                        channel.pipeline.addHandler(MetricsHandler(metrics: metrics, engine: engine))
                    }
                }
                .bind(host: host, port: port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    /// The port bound (useful when 0 asked for any free one).
    public var port: Int { channel.localAddress?.port ?? 0 }

    public func run() async throws {
        try? await gracefulShutdown()
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

/// One HTTP exchange at a time per connection: the request head decides, the body is ignored.
private final class MetricsHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let metrics: SensorMetrics
    private let engine: SensorEngine

    init(metrics: SensorMetrics, engine: SensorEngine) {
        self.metrics = metrics
        self.engine = engine
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data) else { return }
        let status: HTTPResponseStatus
        let body: [UInt8]
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        if path != "/metrics" {
            (status, body) = (.notFound, Array("not found: the metrics are at /metrics\n".utf8))
        } else if request.method != .GET && request.method != .HEAD {
            (status, body) = (.methodNotAllowed, Array("use GET\n".utf8))
        } else {
            (status, body) = (.ok, metrics.exposition(of: engine))
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: status == .ok ? "text/plain; version=0.0.4; charset=utf-8"
                                                                : "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status,
                                                             headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))),
                          promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}
