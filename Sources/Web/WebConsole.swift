import DaemonSupport
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore

/// `coinsentry-web`: the REST API over both daemons' control sockets, and the console's pages.
///
/// Requests pass, in order: security headers (on every response), access (`AccessMiddleware`), the console's files
/// (`assets`, and Debian's Bootstrap and Chart.js under `/vendor/`; Hummingbird's `FileMiddleware` serves nothing
/// outside those folders), then the API's routes.
public struct WebConsole: Sendable {
    public let settings: WebSettings
    private let token: BearerToken?

    /// Checks the settings now (token file and its mode, TLS files, the asset folder), so a mistake stops start-up.
    public init(settings: WebSettings) throws(ConfigurationProblem) {
        self.settings = settings
        token = try settings.token().map(BearerToken.init)
        try settings.checkAssets()
        do throws(ListenSettings.Problem) {
            _ = try settings.listen.tlsConfiguration(table: "web")
        } catch {
            throw ConfigurationProblem(description: "[web] tls_certificate: \(error.message)")
        }
    }

    /// The router with every middleware and route.
    public func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        let sessions = Sessions()
        let openAPI = (settings.assets as NSString).appendingPathComponent("openapi.json")
        router.add(middleware: SecurityHeadersMiddleware(allowed: AllowedMethods(openAPI: openAPI)))
        router.add(middleware: AccessMiddleware(token: token, sessions: sessions, loopback: settings.listen.isLoopback))
        router.add(middleware: FileMiddleware(settings.assets, searchForIndexHtml: true))
        router.add(middleware: FileMiddleware(settings.vendor, urlBasePath: "/vendor"))
        let sensor = DaemonLink(.sensor, socket: settings.sensorSocket)
        let chain = DaemonLink(.chain, socket: settings.chainSocket)
        SessionRoutes(token: token, sessions: sessions, secure: settings.listen.certificate != nil).add(to: router)
        SensorRoutes(sensor: sensor).add(to: router)
        ChainRoutes(chain: chain).add(to: router)
        TestbedRoutes(chain: chain).add(to: router)
        OverviewRoutes(sensor: sensor, chain: chain).add(to: router)
        KriptosareRoutes(chain: chain).add(to: router)
        router.get("api/v1/openapi.json") { _, _ -> Response in
            guard let data = FileManager.default.contents(atPath: openAPI) else {
                throw APIError(.notFound, "\(openAPI) is missing")
            }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        return router
    }

    /// How long a connection may take to send a request (its head, or the next part of its body), and may stay
    /// open without one after a response: a client that sends a byte a second, or connects and says nothing, is
    /// closed then, and holds no more than a connection until it is.
    public static let requestTimeout: Duration = .seconds(30)

    /// The Hummingbird application serving the console (HTTPS when a certificate is configured); `onRunning` is called
    /// with the port once it listens.
    /// - Parameter requestTimeout: see ``requestTimeout``.
    public func application(logger: Logger, requestTimeout: Duration = Self.requestTimeout,
                            onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        throws -> some ApplicationProtocol {
        let configuration = ApplicationConfiguration(
            address: .hostname(settings.listen.host, port: settings.listen.port), serverName: "coinsentry-web")
        // Hummingbird's idle timeout counts from the last request part read: bytes that never complete a request
        // head do not count, so it bounds a slow client's head as well as an idle keep-alive connection.
        let http1 = HTTPServerBuilder.http1(configuration: .init(idleTimeout: TimeAmount(requestTimeout)))
        let server: HTTPServerBuilder = if let tls = try settings.listen.tlsConfiguration(table: "web") {
            try .tls(http1, tlsConfiguration: tls)
        } else {
            http1
        }
        return Application(router: router(), server: server, configuration: configuration,
                           onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: logger)
    }
}
