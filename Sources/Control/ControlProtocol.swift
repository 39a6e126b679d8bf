/// The control protocol: one JSON object per line each way over a UNIX stream socket. A request is
/// `{"cmd": NAME, ...arguments}`; a reply is `{"ok": true, ...fields}` or `{"ok": false, "error": MESSAGE}`, with
/// `"reason": "not_found"` when what the request names (a host, an alert, an address) does not exist.
///
/// Each command is a `ControlRequest` type with its `Reply` type: the daemons decode the one and encode the other
/// through a `ControlRouter`, `coinsentryctl` (and any other client) does the opposite through `ControlClient`. A
/// field that is absent in a reply means null.
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
    public static func failure(_ message: String, reason: ControlFailure.Reason = .refused) -> JSONValue {
        reason == .refused ? ["ok": false, "error": .string(message)]
            : ["ok": false, "error": .string(message), "reason": .string(reason.rawValue)]
    }
}

/// The commands one daemon answers: an enum whose raw values are the `cmd` names on the wire.
public protocol ControlCommandSet: RawRepresentable<String>, CaseIterable, Hashable, Sendable {}

extension ControlCommandSet {
    /// Every command's name, for help texts and errors.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// One command's request: its fields are the request's arguments (besides `cmd`).
public protocol ControlRequest: Codable, Sendable {
    /// The daemon's command set this request belongs to.
    associatedtype Command: ControlCommandSet
    /// What a successful reply carries (besides `"ok": true`).
    associatedtype Reply: Codable, Sendable
    /// The `cmd` name.
    static var command: Command { get }
}

/// A reply with no fields besides `"ok": true`.
public struct Done: Codable, Hashable, Sendable {
    public init() {}
}

/// A request the daemon refuses, with a message for the operator (`{"ok": false, "error": message}`).
public struct ControlFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// Why: a request the daemon will not carry out, or one naming something that does not exist.
    public enum Reason: String, Hashable, Sendable {
        case refused
        case notFound = "not_found"
        /// The request is sound but the daemon's state stands in its way for now (a run still going): try later.
        case conflict
    }

    public var message: String
    public var reason: Reason
    public var description: String { message }

    public init(_ message: String, reason: Reason = .refused) {
        self.message = message
        self.reason = reason
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
