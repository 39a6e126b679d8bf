import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// A UNIX stream socket serving the control protocol on swift-nio: one JSON object per line each way, many clients at
/// once, requests size-limited, bad JSON answered with an error, the peer's credentials (`SO_PEERCRED`) handed to the
/// router with each request.
public struct ControlServer: Sendable {
    /// Answers one request line from a peer.
    public typealias Responder = @Sendable (Data, PeerCredentials) async -> JSONValue

    /// Connections served at once; a further client gets an error reply and is closed.
    public static let maximumConnections = 256

    /// How long a connection may take to send a whole request, from its opening or its last reply, before it gets an
    /// error reply and is closed.
    public static let defaultRequestDeadline: Duration = .seconds(10)

    public let path: String
    private let descriptor: Int32
    private let responder: Responder
    private let requestDeadline: Duration

    /// Binds the socket at `path` with `mode`, owned by `group` when given, and listens; `run()` serves it (clients
    /// that connect before wait).
    ///
    /// A stale socket file (no daemon behind it) is replaced; a live one means another daemon runs.
    /// - Throws: `ControlError` with `.alreadyRunning`, `.permissionDenied` or `.io`.
    /// - Parameter requestDeadline: how long a connection may take to complete a request (see
    ///   `defaultRequestDeadline`).
    public init(path: String, mode: mode_t = 0o660, group: String? = nil,
                requestDeadline: Duration = ControlServer.defaultRequestDeadline,
                responder: @escaping Responder) throws(ControlError) {
        self.path = path
        self.responder = responder
        self.requestDeadline = requestDeadline
        descriptor = try UnixSocket.bind(path: path, mode: mode, group: group, backlog: Int32(Self.maximumConnections))
    }

    /// Binds as `init(path:mode:group:responder:)` does, answering through `router`.
    public init<Command>(path: String, mode: mode_t = 0o660, group: String? = nil,
                         requestDeadline: Duration = ControlServer.defaultRequestDeadline,
                         router: ControlRouter<Command>) throws(ControlError) {
        try self.init(path: path, mode: mode, group: group, requestDeadline: requestDeadline) { line, peer in
            await router.respond(to: line, peer: peer)
        }
    }

    /// Serves until the task is cancelled, then closes every connection and removes the socket file.
    public func run() async throws {
        defer { unlink(path) }
        /// The connections being served, and whether the server is stopping (then a new one is closed at once).
        struct Connections {
            var open: [ObjectIdentifier: any Channel] = [:]
            var stopping = false
        }
        let state = NIOLockedValueBox(Connections())
        // Accepted connections are recorded as they are accepted (so stopping closes even those never handed to the
        // loop below, which the listening channel drops once it closes) and reach the loop as plain channels, reading
        // nothing until they are wrapped: a connection wrapped by the bootstrap's initializer and then dropped would
        // stop the process, since swift-nio requires every `NIOAsyncChannel` to be run.
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.autoRead, value: false)
            .bind(NIOBSDSocket.Handle(descriptor)) { (channel: any Channel) -> EventLoopFuture<any Channel> in
                let recorded = state.withLockedValue { state in
                    guard !state.stopping else { return false }
                    state.open[ObjectIdentifier(channel)] = channel
                    return true
                }
                // Recorded connections are closed by stopping; a connection accepted after that is closed here.
                guard recorded else {
                    channel.close(promise: nil)
                    return channel.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
                }
                return channel.eventLoop.makeSucceededFuture(channel)
            }
        // Accepting runs in a task of its own, which the caller's cancellation does not reach: it ends when the
        // listening channel closes, after every connection already accepted has been served and closed.
        let (seconds, attoseconds) = requestDeadline.components
        let deadline = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        let accepting = Task {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await channel in connections {
                        let key = ObjectIdentifier(channel)
                        let admitted = state.withLockedValue { $0.open.count <= Self.maximumConnections }
                        group.addTask {
                            defer { state.withLockedValue { _ = $0.open.removeValue(forKey: key) } }
                            guard let connection = try? await Self.wrap(channel, deadline: deadline) else {
                                try? await channel.close()
                                return
                            }
                            try? await serve(connection, admitted: admitted)
                        }
                    }
                }
            }
        }
        try await withTaskCancellationHandler {
            try await accepting.value
        } onCancel: {
            let open = state.withLockedValue { state in
                state.stopping = true
                return Array(state.open.values)
            }
            server.channel.close(promise: nil)
            for connection in open { connection.close(promise: nil) }
        }
    }

    /// Frames `channel` into request lines and starts reading it, on its event loop (so no byte arrives before the
    /// decoder is in place).
    private static func wrap(_ channel: any Channel, deadline: TimeAmount) async throws
        -> NIOAsyncChannel<ControlFrame, ByteBuffer> {
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(ControlLineDecoder()))
            try channel.pipeline.syncOperations.addHandler(RequestDeadlineHandler(deadline: deadline))
            let connection = try NIOAsyncChannel<ControlFrame, ByteBuffer>(wrappingChannelSynchronously: channel)
            try channel.syncOptions?.setOption(.autoRead, value: true)
            return connection
        }.get()
    }

    private func serve(_ connection: NIOAsyncChannel<ControlFrame, ByteBuffer>, admitted: Bool) async throws {
        try await connection.executeThenClose { inbound, outbound in
            func send(_ reply: JSONValue) async throws {
                try await outbound.write(ByteBuffer(string: reply.line + "\n"))
            }
            guard admitted else {
                try await send(ControlProtocol.failure("too many control connections; try again"))
                return
            }
            // Without the peer's credentials no state-changing command could say who asked: refuse the connection.
            guard let peer = await Self.peerCredentials(connection.channel) else {
                try await send(ControlProtocol.failure("the peer's credentials (SO_PEERCRED) could not be read"))
                return
            }
            for try await frame in inbound {
                switch frame {
                case .line(let line):
                    let bytes = line.readableBytesView
                    if bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
                    try await send(await responder(Data(bytes), peer))
                case .tooLong:
                    try await send(ControlProtocol.failure(
                        "request longer than \(ControlProtocol.maximumRequestBytes) bytes; connection closed"))
                    return
                }
            }
        }
    }

    /// The connected peer's process, user and group, or nil when the kernel does not say.
    static func peerCredentials(_ channel: any Channel) async -> PeerCredentials? {
        guard let provider = channel as? any SocketOptionProvider else { return nil }
        let record: PeerCredentialsRecord? = try? await provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED)).get()
        return record.map { PeerCredentials(pid: $0.pid, uid: $0.uid, gid: $0.gid) }
    }
}

