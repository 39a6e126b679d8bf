/// Why the control socket could not be served or reached, or why a request was refused; messages say what to do.
public struct ControlError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        /// Nothing listens at the socket's path.
        case notRunning
        /// The socket may not be opened: join its group.
        case permissionDenied
        /// Another daemon already serves the path.
        case alreadyRunning
        case io
        /// The reply is not JSON, or not the command's reply type.
        case badReply
        /// The daemon answered `{"ok": false, "error": ...}`; the message is its error.
        case refused
        /// The daemon answered that what the request names (a host, an alert, an address) does not exist.
        case notFound
        /// The daemon answered that its state stands in the request's way for now (a testbed run still going).
        case conflict
    }

    public var code: Code
    public var message: String
    public var description: String { message }

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
