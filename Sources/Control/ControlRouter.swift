import Foundation

/// Answers request lines for one daemon: decodes each into its command's `ControlRequest` type, calls the handler
/// registered for it and encodes the reply. Unknown commands, lines that are not JSON objects and requests whose
/// fields do not decode get an error reply that says what was expected.
public struct ControlRouter<Command: ControlCommandSet>: Sendable {
    private typealias Route = @Sendable (Data, PeerCredentials) async -> JSONValue
    private var routes: [Command: Route] = [:]

    public init() {}

    /// Registers the handler of `Request`'s command; its `ControlFailure`s (or any other error) become error replies.
    public mutating func on<Request: ControlRequest>(
        _ type: Request.Type, _ handler: @escaping @Sendable (Request, PeerCredentials) async throws -> Request.Reply
    ) where Request.Command == Command {
        routes[Request.command] = { line, peer in
            let request: Request
            do {
                request = try JSONDecoder().decode(Request.self, from: line)
            } catch {
                return ControlProtocol.failure(Self.explain(error, command: Request.command))
            }
            do {
                return try Self.success(await handler(request, peer))
            } catch let failure as ControlFailure {
                return ControlProtocol.failure(failure.message, reason: failure.reason)
            } catch {
                return ControlProtocol.failure("\(error)")
            }
        }
    }

    /// Commands without a handler (a daemon's tests check there are none).
    public var unrouted: [Command] { Command.allCases.filter { routes[$0] == nil } }

    /// The reply to one request line (without its newline).
    public func respond(to line: some DataProtocol, peer: PeerCredentials) async -> JSONValue {
        guard let request = try? JSONValue.parse(line), let object = request.object else {
            return ControlProtocol.failure("not a JSON object; send one {\"cmd\": ...} object per line")
        }
        guard let name = object["cmd"]?.string else {
            return ControlProtocol.failure("missing \"cmd\"; commands: \(Command.names)")
        }
        guard let command = Command(rawValue: name), let route = routes[command] else {
            return ControlProtocol.failure("unknown command '\(name)'; commands: \(Command.names)")
        }
        return await route(Data(line), peer)
    }

    /// `{"ok": true}` with the reply's fields.
    static func success(_ reply: some Encodable) throws -> JSONValue {
        switch try JSONValue(encoding: reply) {
        case .object(let fields): return ControlProtocol.ok(fields)
        case let other: return ControlProtocol.ok(["result": other])
        }
    }

    /// What was wrong with a request's fields, naming the field and what it should be.
    static func explain(_ error: any Error, command: Command) -> String {
        func field(_ path: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            let names = (path + (key.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return "\"\(names.joined(separator: "."))\""
        }
        func kind(_ type: Any.Type) -> String {
            switch type {
            case is String.Type: "a string"
            case is Bool.Type: "true or false"
            case is Int.Type, is Int64.Type, is Double.Type: "a number"
            default: "\(type)"
            }
        }
        let detail = switch error as? DecodingError {
        case .keyNotFound(let key, let context)?: "\(field(context.codingPath, key)) is missing"
        case .typeMismatch(let type, let context)?: "\(field(context.codingPath)) must be \(kind(type))"
        case .valueNotFound(let type, let context)?: "\(field(context.codingPath)) must be \(kind(type)), not null"
        case .dataCorrupted(let context)?: "\(field(context.codingPath)): \(context.debugDescription)"
        default: "\(error)"
        }
        return "bad '\(command.rawValue)' request: \(detail)"
    }
}
