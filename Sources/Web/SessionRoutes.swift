import DaemonSupport
import HTTPTypes
import Hummingbird

/// `/api/v1/session`: trade the token for a session cookie (pages), see whether one is held, log out.
struct SessionRoutes {
    let token: BearerToken?
    let sessions: Sessions
    /// The cookie is `Secure` when the console is served over TLS.
    let secure: Bool

    struct Login: Decodable {
        var token: String
    }

    struct State: Encodable, Sendable {
        var authenticated: Bool
        /// Whether a token is configured at all (without one nothing may change state).
        var changesAllowed: Bool

        enum CodingKeys: String, CodingKey { case authenticated, changesAllowed = "changes_allowed" }
    }

    func add(to router: Router<WebContext>) {
        router.get("api/v1/session") { request, _ -> Reply<State> in
            let id = request.cookies[Sessions.cookieName]?.value
            let valid = if let id { await sessions.isValid(id) } else { false }
            return Reply(State(authenticated: valid, changesAllowed: token != nil))
        }
        router.post("api/v1/session") { request, context -> Response in
            let login = try await request.decode(as: Login.self, context: context)
            guard let token else {
                throw APIError(.forbidden, "no token is configured: set [web] token_file to log in")
            }
            guard token.matches(login.token) else { throw APIError(.unauthorized, "wrong token") }
            let id = await sessions.open()
            var response = try JSONResponse.make(State(authenticated: true, changesAllowed: true))
            let seconds = Int(Sessions.lifetime.components.seconds)
            response.headers[.setCookie] = "\(Sessions.cookieName)=\(id); Path=/; Max-Age=\(seconds); HttpOnly; "
                + "SameSite=Strict" + (secure ? "; Secure" : "")
            return response
        }
        router.delete("api/v1/session") { request, _ -> Response in
            if let id = request.cookies[Sessions.cookieName]?.value { await sessions.close(id) }
            var response = try JSONResponse.make(State(authenticated: false, changesAllowed: token != nil))
            response.headers[.setCookie] = "\(Sessions.cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
            return response
        }
    }
}
