/// The control protocol: one JSON object per line each way over a UNIX stream socket. A request is
/// `{"cmd": NAME, ...arguments}`; a reply is `{"ok": true, ...}` or `{"ok": false, "error": MESSAGE}`.
public enum ControlProtocol {
    /// Requests longer than this are refused (and the connection closed): no client can make the daemon buffer more.
    public static let maximumRequestBytes = 64 * 1024

    /// A successful reply with the given fields.
    public static func ok(_ fields: [String: JSONValue] = [:]) -> JSONValue {
        var object = fields
        object["ok"] = true
        return .object(object)
    }

    /// A failed reply.
    public static func failure(_ message: String) -> JSONValue {
        ["ok": false, "error": .string(message)]
    }
}

/// Who is on the other end of a control connection, from the kernel (`SO_PEERCRED`).
public struct PeerCredentials: Hashable, Sendable, CustomStringConvertible {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    public var description: String { "uid=\(uid) gid=\(gid) pid=\(pid)" }
}
