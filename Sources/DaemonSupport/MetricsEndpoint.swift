import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ServiceLifecycle

/// Serves `GET /metrics` (the Prometheus text format) for as long as the daemon runs: plain HTTP on loopback, or
/// HTTPS with the operator's certificate; with a token file, only to requests bearing the token. Any other path is
/// 404, any other method 405, a missing or wrong token 401.
public final class MetricsEndpoint: Service, Sendable {
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup

    /// Binds now, so that a taken port, a bad address, a bad certificate or token file stops start-up.
    /// - Parameter exposition: the text of one scrape.
    /// - Throws: `ListenSettings.Problem` naming the key at fault.
    public init(settings: ListenSettings, table: String = "metrics",
                exposition: @escaping @Sendable () -> [UInt8]) throws(ListenSettings.Problem) {
        let token = try settings.token(table: table)
        let tls = try settings.tlsConfiguration(table: table).map { configuration throws(ListenSettings.Problem) in
            do {
                return try NIOSSLContext(configuration: configuration)
            } catch {
                throw ListenSettings.Problem(key: "\(table).tls_certificate", message: "cannot use the certificate: \(error)")
            }
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        do {
            channel = try ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 64)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(
                            MetricsHandler(token: token, exposition: exposition))
                    }
                }
                .bind(host: settings.host, port: settings.port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw ListenSettings.Problem(key: "\(table).listen",
                                          message: "cannot serve on \(settings.host):\(settings.port): \(error)")
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

/// One HTTP exchange per connection: the request head decides, the body is ignored.
private final class MetricsHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let token: BearerToken?
    private let exposition: @Sendable () -> [UInt8]

    init(token: String?, exposition: @escaping @Sendable () -> [UInt8]) {
        self.token = token.map(BearerToken.init)
        self.exposition = exposition
    }

    /// Whether the request bears the token (compared in constant time).
    private func authorised(_ headers: HTTPHeaders) -> Bool {
        guard let token else { return true }
        return token.isBorne(by: headers.first(name: "Authorization"))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data) else { return }
        let status: HTTPResponseStatus
        let body: [UInt8]
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        var headers = HTTPHeaders()
        if path != "/metrics" {
            (status, body) = (.notFound, Array("not found: the metrics are at /metrics\n".utf8))
        } else if request.method != .GET && request.method != .HEAD {
            (status, body) = (.methodNotAllowed, Array("use GET\n".utf8))
        } else if !authorised(request.headers) {
            (status, body) = (.unauthorized, Array("send the token: Authorization: Bearer TOKEN\n".utf8))
            headers.add(name: "WWW-Authenticate", value: "Bearer")
        } else {
            (status, body) = (.ok, exposition())
        }
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
