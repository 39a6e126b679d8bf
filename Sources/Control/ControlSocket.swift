// The one file of this module that makes socket system calls: the control server and client.
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Why the control socket could not be served or reached; messages say what to do.
public struct ControlError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case notRunning, permissionDenied, alreadyRunning, io, badReply
    }

    public var code: Code
    public var message: String
    public var description: String { message }

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// A UNIX stream socket serving the control protocol: one JSON object per line each way, many clients at once,
/// requests size-limited, bad JSON answered with an error, the peer's credentials (`SO_PEERCRED`) handed to the
/// handler. Marked `@unchecked Sendable`: its mutable state (descriptors of open connections) is guarded by `lock`.
public final class ControlServer: @unchecked Sendable {
    public typealias Handler = @Sendable (JSONValue, PeerCredentials) -> JSONValue

    /// Connections served at once; a further client gets an error reply and is closed.
    public static let maximumConnections = 64

    public let path: String
    private let handler: Handler
    private let listener: Int32
    private let lock = NSLock()
    private var connections: Set<Int32> = []
    private var stopped = false
    private var acceptThread: Thread?
    private let acceptDone = DispatchSemaphore(value: 0)

    /// Binds the socket at `path` with `mode`, owned by `group` when given.
    ///
    /// A stale socket file (no daemon behind it) is replaced; a live one means another daemon runs.
    /// - Throws: `ControlError` with `.alreadyRunning`, `.permissionDenied` or `.io`.
    public init(path: String, mode: mode_t = 0o660, group: String? = nil, handler: @escaping Handler)
        throws(ControlError) {
        self.path = path
        self.handler = handler
        if FileManager.default.fileExists(atPath: path) {
            if (try? ControlClient.connect(path)).map({ close($0); return true }) == true {
                throw ControlError(.alreadyRunning, "another daemon already serves \(path)")
            }
            unlink(path)
        }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw ControlError(.io, "socket(): \(String(cString: strerror(errno)))") }
        var address = try Self.address(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            let error = errno  // read at once: close() may change it
            close(descriptor)
            throw ControlError(error == EACCES ? .permissionDenied : .io,
                               "cannot bind \(path): \(String(cString: strerror(error)))")
        }
        /// Undoes the bind and reports a failed call with its errno, read before anything else runs.
        func fail(_ what: String, _ code: ControlError.Code = .io) -> ControlError {
            let error = errno
            close(descriptor)
            unlink(path)
            return ControlError(error == EPERM || error == EACCES ? .permissionDenied : code,
                                "\(what) \(path): \(String(cString: strerror(error)))")
        }
        guard chmod(path, mode) == 0 else { throw fail("cannot set the mode of") }
        if let group {
            guard let entry = getgrnam(group) else {
                close(descriptor)
                unlink(path)
                throw ControlError(.io, "control socket group '\(group)' does not exist (create it, or set another)")
            }
            guard chown(path, getuid(), entry.pointee.gr_gid) == 0 else {
                throw fail("cannot give group \(group) (the daemon's user must belong to it) to")
            }
        }
        guard listen(descriptor, 64) == 0 else { throw fail("cannot listen on") }
        listener = descriptor
    }

    /// Starts accepting connections on a thread of its own.
    public func start() {
        let thread = Thread { [self] in
            acceptLoop()
            acceptDone.signal()
        }
        thread.name = "cs-control"
        acceptThread = thread
        thread.start()
    }

    /// Stops accepting, closes every connection and removes the socket file.
    public func stop() {
        lock.lock()
        let alreadyStopped = stopped
        stopped = true
        let open = connections
        lock.unlock()
        guard !alreadyStopped else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        for connection in open { shutdown(connection, Int32(SHUT_RDWR)) }
        if acceptThread != nil { acceptDone.wait() }
        close(listener)
        unlink(path)
    }

    deinit { stop() }

    /// The connected peer's process, user and group (`SO_PEERCRED`), or nil when the kernel does not say.
    static func peerCredentials(_ connection: Int32) -> PeerCredentials? {
        var credentials = PeerCredentialsRecord()
        var length = socklen_t(MemoryLayout<PeerCredentialsRecord>.size)
        guard getsockopt(connection, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0,
              length == socklen_t(MemoryLayout<PeerCredentialsRecord>.size) else { return nil }
        return PeerCredentials(pid: credentials.pid, uid: credentials.uid, gid: credentials.gid)
    }

    private func acceptLoop() {
        while true {
            // accept4 with SOCK_CLOEXEC is not exported to Swift by Glibc; the daemon runs no other program, so
            // setting close-on-exec just after accept leaves no descriptor to leak.
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                let error = errno
                if error == EINTR || error == ECONNABORTED { continue }
                return
            }
            guard fcntl(connection, F_SETFD, FD_CLOEXEC) == 0 else {
                close(connection)
                continue
            }
            lock.lock()
            let refused = stopped || connections.count >= Self.maximumConnections
            if !refused { connections.insert(connection) }
            lock.unlock()
            if refused {
                Self.writeLine(connection, ControlProtocol.failure("too many control connections; try again").line)
                close(connection)
                continue
            }
            let thread = Thread { [self] in
                serve(connection)
                lock.lock()
                connections.remove(connection)
                lock.unlock()
                close(connection)
            }
            thread.name = "cs-control-client"
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        guard let peer = Self.peerCredentials(connection) else {
            // Without the peer's credentials no state-changing command could say who asked: refuse the connection.
            Self.writeLine(connection, ControlProtocol.failure("the peer's credentials (SO_PEERCRED) could not be read")
                .line)
            return
        }
        var pending = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            pending.append(contentsOf: chunk[0..<count])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[..<newline]
                pending.removeSubrange(...newline)
                guard !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) else { continue }
                let reply: JSONValue
                if let request = try? JSONValue.parse(line), request.object != nil {
                    reply = handler(request, peer)
                } else {
                    reply = ControlProtocol.failure("not a JSON object; send one {\"cmd\": ...} object per line")
                }
                guard Self.writeLine(connection, reply.line) else { return }
            }
            if pending.count > ControlProtocol.maximumRequestBytes {
                Self.writeLine(connection, ControlProtocol.failure(
                    "request longer than \(ControlProtocol.maximumRequestBytes) bytes; connection closed").line)
                return
            }
        }
    }

    @discardableResult
    fileprivate static func writeLine(_ connection: Int32, _ text: String) -> Bool {
        var bytes = Array((text + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes {
                send(connection, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    fileprivate static func address(_ path: String) throws(ControlError) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw ControlError(.io, "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        return address
    }
}

/// Linux's `struct ucred` (pid, uid, gid), which Glibc only declares under `_GNU_SOURCE`: the layout is fixed ABI.
private struct PeerCredentialsRecord {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}

/// The client side of the control protocol, for `coinsentryctl` and tests.
public enum ControlClient {
    /// Sends one request and returns the reply.
    ///
    /// - Throws: `ControlError`: `.notRunning` when nothing listens at `path`, `.permissionDenied` when the socket
    ///   may not be opened (join its group), `.badReply` for a reply that is not JSON.
    public static func request(_ request: JSONValue, socket path: String, timeout: Double = 10)
        throws(ControlError) -> JSONValue {
        let descriptor = try connect(path)
        defer { close(descriptor) }
        var time = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        guard ControlServer.writeLine(descriptor, request.line) else {
            throw ControlError(.io, "cannot send to \(path): \(String(cString: strerror(errno)))")
        }
        var received = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while !received.contains(UInt8(ascii: "\n")) {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                throw ControlError(.io, count == 0 ? "the daemon closed the connection without a reply"
                                   : "no reply from the daemon within \(timeout) s")
            }
            received.append(contentsOf: chunk[0..<count])
        }
        let line = received.prefix { $0 != UInt8(ascii: "\n") }
        guard let reply = try? JSONValue.parse(line) else {
            throw ControlError(.badReply, "the daemon's reply is not JSON: \(String(decoding: line, as: UTF8.self))")
        }
        return reply
    }

    static func connect(_ path: String) throws(ControlError) -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw ControlError(.io, "socket(): \(String(cString: strerror(errno)))") }
        var address = try ControlServer.address(path)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard status == 0 else {
            let error = errno
            close(descriptor)
            switch error {
            case ENOENT, ECONNREFUSED:
                throw ControlError(.notRunning, "coinsentryd is not running (nothing listens at \(path))")
            case EACCES, EPERM:
                throw ControlError(.permissionDenied,
                                   "permission denied on \(path): join its group (coinsentry) or run as root")
            default:
                throw ControlError(.io, "cannot connect to \(path): \(String(cString: strerror(error)))")
            }
        }
        return descriptor
    }
}
