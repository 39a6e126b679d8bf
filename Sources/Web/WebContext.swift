import Hummingbird

/// The request context: who is asking (set by `AccessMiddleware`) and the console's request-size limit.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// How the request proved it may change state, if it did.
    public var credential: Credential = .none

    /// Request bodies larger than this are refused (413) before they are decoded.
    public static let maximumBodyBytes = 64 * 1024
    public var maxUploadSize: Int { Self.maximumBodyBytes }

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// How a request is authenticated.
    public enum Credential: Sendable {
        case none
        /// `Authorization: Bearer TOKEN` (scripts).
        case bearer
        /// The console's session cookie (pages), from a same-origin login.
        case session
    }
}

extension WebContext {
    /// A parameter of the matched path, percent-decoded (the router matches on the path as sent, so an IPv6 host
    /// arrives as `fe80%3A%3A1`); every route reads its path parameters through this.
    /// - Throws: Hummingbird's 400 when the route has no such parameter.
    func pathParameter(_ name: String) throws -> String {
        let text = try parameters.require(name)
        return text.removingPercentEncoding ?? text
    }
}
