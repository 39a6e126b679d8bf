import Foundation

/// The console's login sessions: a page trades the token for a random session id once (`POST /api/v1/session`), kept
/// in an `HttpOnly`, `SameSite=Strict` cookie, so the token never sits in a page, a URL or a script.
public actor Sessions {
    /// How long a session lasts after it was made.
    public static let lifetime: Duration = .seconds(12 * 3600)
    public static let cookieName = "coinsentry_session"

    private var expiry: [String: ContinuousClock.Instant] = [:]

    public init() {}

    /// A new session's id.
    public func open() -> String {
        let now = ContinuousClock.now
        expiry = expiry.filter { $0.value > now }
        var generator = SystemRandomNumberGenerator()
        let id = (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
        expiry[id] = now + Self.lifetime
        return id
    }

    /// Whether `id` names a live session.
    public func isValid(_ id: String) -> Bool {
        guard let end = expiry[id] else { return false }
        if end > ContinuousClock.now { return true }
        expiry[id] = nil
        return false
    }

    public func close(_ id: String) {
        expiry[id] = nil
    }
}

