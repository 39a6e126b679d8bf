import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// The client side of the control protocol, on swift-nio: `coinsentryctl`, the web console and tests.
public enum ControlClient {
    /// Sends a typed request and returns its typed reply.
    ///
    /// - Throws: `ControlError`: `.notRunning` when nothing listens at `path`, `.permissionDenied` when the socket
    ///   may not be opened (join its group), `.refused` with the daemon's message when it refused the request
    ///   (`.notFound` and `.conflict` when it said why),
    ///   `.badReply` for a reply that is not the command's reply type.
    public static func send<Request: ControlRequest>(_ request: Request, socket path: String,
                                                     timeout: Duration = .seconds(10))
        async throws(ControlError) -> Request.Reply {
        let reply = try await self.request(try encode(request), socket: path, timeout: timeout)
        guard reply["ok"]?.bool == true else {
            let code: ControlError.Code = switch reply["reason"]?.string.flatMap(ControlFailure.Reason.init(rawValue:)) {
            case .notFound: .notFound
            case .conflict: .conflict
            case .refused, nil: .refused
            }
            throw ControlError(code, reply["error"]?.string ?? "the daemon refused the request")
        }
        do {
            return try JSONDecoder().decode(Request.Reply.self, from: Data(reply.line.utf8))
        } catch {
            throw ControlError(.badReply, "the daemon's reply to '\(Request.command.rawValue)' is not what this "
                               + "client expects (a different version?): \(error)")
        }
    }

    /// A typed request as the JSON object sent on the wire: its fields and `cmd`.
    public static func encode<Request: ControlRequest>(_ request: Request) throws(ControlError) -> JSONValue {
        guard case .object(var fields) = try? JSONValue(encoding: request) else {
            throw ControlError(.io, "the '\(Request.command.rawValue)' request could not be encoded")
        }
        fields["cmd"] = .string(Request.command.rawValue)
        return .object(fields)
    }

    /// Sends one JSON request and returns the reply as it came, `{"ok": false, ...}` included.
    ///
    /// - Throws: `ControlError` `.notRunning`, `.permissionDenied`, `.io` or `.badReply` (not JSON).
    public static func request(_ request: JSONValue, socket path: String, timeout: Duration = .seconds(10))
        async throws(ControlError) -> JSONValue {
        let line: Data
        do {
            line = try await withThrowingTaskGroup(of: Data.self) { group in
                group.addTask { try await exchange(request.line, socket: path) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw ControlError(.io, "no reply from the daemon within \(timeout) (at \(path))")
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch let error as ControlError {
            throw error
        } catch {
            throw connectionError(error, path: path)
        }
        guard let reply = try? JSONValue.parse(line) else {
            throw ControlError(.badReply, "the daemon's reply is not JSON: \(String(decoding: line, as: UTF8.self))")
        }
        return reply
    }

    private static func exchange(_ line: String, socket path: String) async throws -> Data {
        // A full listen backlog (a burst of clients) refuses a non-blocking connect with EAGAIN: try again shortly,
        // as a blocking connect would have waited.
        var attempt = 0
        while true {
            do {
                return try await exchangeOnce(line, socket: path)
            } catch where attempt < 20 && connectErrno(error) == EAGAIN {
                attempt += 1
                try await Task.sleep(for: .milliseconds(10 * attempt))
            }
        }
    }

    private static func exchangeOnce(_ line: String, socket path: String) async throws -> Data {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: path) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(ControlLineDecoder(maximum: Int(Int32.max))))
                    return try NIOAsyncChannel<ControlFrame, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: line + "\n"))
            for try await frame in inbound {
                if case .line(let reply) = frame { return Data(reply.readableBytesView) }
            }
            throw ControlError(.io, "the daemon closed the connection without a reply")
        }
    }

    /// The errno of a failed connection, when the error carries one.
    private static func connectErrno(_ error: any Error) -> Int32? {
        if let error = error as? IOError { return error.errnoCode }
        if let error = error as? NIOConnectionError {
            return (error.connectionErrors.first?.error as? IOError)?.errnoCode
        }
        return nil
    }

    /// A failed connection in words that say what to do.
    static func connectionError(_ error: any Error, path: String) -> ControlError {
        switch connectErrno(error) {
        case ENOENT?, ECONNREFUSED?:
            return ControlError(.notRunning, "nothing listens at \(path)")
        case EACCES?, EPERM?:
            return ControlError(.permissionDenied,
                                "permission denied on \(path): join its group (coinsentry) or run as root")
        default:
            if error is SocketAddressError {
                return ControlError(.io, "socket path too long: \(path)")
            }
            return ControlError(.io, "cannot talk to the daemon at \(path): \(error)")
        }
    }
}
