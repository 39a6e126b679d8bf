import DaemonSupport
import HTTPTypes
import Hummingbird

/// Who may do what through the API.
///
/// - Reading needs nothing on loopback; served anywhere else, a token or a session.
/// - Changing state (`POST`, `PUT`, `DELETE`) always needs the token: as `Authorization: Bearer TOKEN`, or through a
///   session whose request also carries `X-CoinSentry-Request: console` (a header no other site's page can add
///   without a CORS preflight, which the console never grants). Without a configured token nothing may change state.
/// - Logging in (`/api/v1/session`) is open: it is where the token is given.
/// - Kriptosare's routes read (their `POST` carries a query) and follow the reading rule.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = WebContext

    let token: BearerToken?
    let sessions: Sessions
    let loopback: Bool

    static let requestHeader = HTTPField.Name("X-CoinSentry-Request")!
    static let requestHeaderValue = "console"

    func handle(_ request: Request, context: WebContext,
                next: (Request, WebContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let kriptosare = KriptosareRoutes.paths.contains(path)
        guard path.hasPrefix("/api/") || kriptosare, path != "/api/v1/session" else {
            return try await next(request, context)
        }
        var context = context
        if let token, token.isBorne(by: request.headers[.authorization]) {
            context.credential = .bearer
        } else if let session = request.cookies[Sessions.cookieName]?.value, await sessions.isValid(session) {
            context.credential = .session
        }
        // Kriptosare's routes only read, whatever the method.
        let reading = request.method == .get || request.method == .head || kriptosare
        if reading {
            guard loopback || context.credential != .none else {
                throw APIError(.unauthorized, "log in, or send Authorization: Bearer TOKEN")
            }
            return try await next(request, context)
        }
        guard token != nil else {
            throw APIError(.forbidden, "changes need a token and none is configured: set [web] token_file")
        }
        switch context.credential {
        case .none:
            throw APIError(.unauthorized, "changes need the token: log in, or send Authorization: Bearer TOKEN")
        case .session where request.headers[Self.requestHeader] != Self.requestHeaderValue:
            throw APIError(.forbidden, "a change made through a session must carry "
                           + "\(Self.requestHeader): \(Self.requestHeaderValue)")
        default:
            return try await next(request, context)
        }
    }
}

extension WebContext.Credential: Equatable {}

/// Security headers on every response, errors included: a content security policy that allows only the console's own
/// files (no inline script or style), no framing, no sniffing, no referrer. API errors leave as problem details.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The API's paths and their methods, for 405 and `Allow`.
    let allowed: AllowedMethods

    static var headers: HTTPFields {
        [
            .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                + "form-action 'self'; base-uri 'none'; object-src 'none'",
            .xContentTypeOptions: "nosniff",
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
            HTTPField.Name("Cross-Origin-Opener-Policy")!: "same-origin",
        ]
    }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError
                    where request.uri.path.hasPrefix("/api/") || KriptosareRoutes.paths.contains(request.uri.path) {
            // Hummingbird's own errors (no such route, a body too large) as the API's problem details.
            let path = request.uri.path
            let methods = error.status == .notFound ? allowed.methods(for: path) : []
            if !methods.isEmpty && !methods.contains(request.method.rawValue) {
                let allow = methods.joined(separator: ", ")
                response = try APIError(.methodNotAllowed, "\(path) takes \(allow), not \(request.method)")
                    .response(from: request, context: context)
                response.headers[.allow] = allow
            } else {
                let missing = "no such route: \(request.method) \(path)"
                let detail = error.body ?? (error.status == .notFound ? missing : error.status.reasonPhrase)
                response = try APIError(error.status, detail).response(from: request, context: context)
            }
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        for field in Self.headers { response.headers[field.name] = field.value }
        return response
    }
}
