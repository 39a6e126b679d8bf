import Control
import HTTPTypes
import Hummingbird

/// The two daemons the console reads, each through its control socket.
public enum Daemon: String, Codable, Sendable, CaseIterable {
    case sensor, chain

    /// The executable, as operators know it.
    public var process: String { self == .sensor ? "coinsentryd" : "coinsentry-chaind" }
}

/// A daemon's control socket, asked typed requests; a failure becomes an HTTP error whose body says what happened.
public struct DaemonLink: Sendable {
    public var daemon: Daemon
    public var socket: String

    public init(_ daemon: Daemon, socket: String) {
        self.daemon = daemon
        self.socket = socket
    }

    /// Sends `request` and returns the daemon's typed reply.
    /// - Throws: `APIError`: 503 when the daemon is not running or its socket may not be opened, 400 when it refused
    ///   the request (with its message), 404 when what it names does not exist, 409 when the daemon's state stands in
    ///   its way for now, 502 for anything else.
    public func send<Request: ControlRequest>(_ request: Request) async throws(APIError) -> Request.Reply {
        do {
            return try await ControlClient.send(request, socket: socket)
        } catch {
            throw APIError(error, daemon: daemon)
        }
    }
}

/// An API error: its status and an RFC 9457 problem (`application/problem+json`): `title`, `status`, `detail` (what
/// happened and what to do), and `daemon` and `running` when a daemon is concerned.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    /// The daemon concerned, if any.
    public var daemon: Daemon?
    /// False when the daemon is not running (pages say so instead of failing).
    public var running: Bool?

    public init(_ status: HTTPResponse.Status, _ message: String, daemon: Daemon? = nil, running: Bool? = nil) {
        self.status = status
        self.message = message
        self.daemon = daemon
        self.running = running
    }

    init(_ error: ControlError, daemon: Daemon) {
        switch error.code {
        case .notRunning:
            self.init(.serviceUnavailable, "\(daemon.process) is not running (\(error.message))", daemon: daemon,
                      running: false)
        case .permissionDenied:
            self.init(.serviceUnavailable, "\(daemon.process)'s control socket may not be opened by the console: "
                      + error.message, daemon: daemon)
        case .refused:
            self.init(.badRequest, error.message, daemon: daemon, running: true)
        case .notFound:
            self.init(.notFound, error.message, daemon: daemon, running: true)
        case .conflict:
            self.init(.conflict, error.message, daemon: daemon, running: true)
        default:
            self.init(.badGateway, "\(daemon.process): \(error.message)", daemon: daemon)
        }
    }

    /// RFC 9457 problem details, with the daemon concerned as extension members.
    struct Problem: Encodable {
        var type = "about:blank"
        var title: String
        var status: Int
        var detail: String
        var daemon: Daemon?
        var running: Bool?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONResponse.make(
            Problem(title: status.reasonPhrase, status: status.code, detail: message, daemon: daemon, running: running),
            status: status)
        response.headers[.contentType] = "application/problem+json"
        return response
    }
}
