/// A bearer token an HTTP endpoint requires (`Authorization: Bearer TOKEN`), compared in constant time.
public struct BearerToken: Hashable, Sendable {
    private let secret: [UInt8]

    public init(_ token: String) {
        secret = Array(token.utf8)
    }

    /// Whether `authorization` (the header's value) bears this token.
    public func isBorne(by authorization: String?) -> Bool {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return false }
        return matches(String(authorization.dropFirst("Bearer ".count)))
    }

    /// Whether `given` is the token; the time taken depends only on the lengths.
    public func matches(_ given: String) -> Bool {
        let bytes = Array(given.utf8)
        guard bytes.count == secret.count else { return false }
        return zip(bytes, secret).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
