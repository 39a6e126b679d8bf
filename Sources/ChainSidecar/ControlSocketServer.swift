import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The sidecar's control socket: a UNIX stream socket speaking JSON lines (one request object per line, one reply
/// object per line), the same protocol as the sensor's. The socket file gets mode 0660; a peer whose uid (from
/// SO_PEERCRED) is neither root, the daemon's own, nor in the socket's group is refused.
///
/// Connections are served one at a time on a dedicated thread running blocking `accept`/`read`; each request hops
/// to the ``ChainSidecar`` actor and the thread waits for the reply.
public final class ControlSocketServer: @unchecked Sendable {
    // @unchecked: `listener` is written in init and only read afterwards; `stopped` is guarded by `lock`.
    private let path: String
    private let sidecar: ChainSidecar
    private let listener: Int32
    private let lock = NSLock()
    private var stopped = false

    /// A socket call that failed, with the call's name and errno text.
    public struct SocketError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    private static func failure(_ call: String, _ path: String) -> SocketError {
        SocketError(description: "\(call) on \(path) failed: \(String(cString: strerror(errno)))")
    }

    /// Binds and listens on `path` (replacing a stale socket file).
    public init(path: String, sidecar: ChainSidecar) throws {
        self.path = path
        self.sidecar = sidecar
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Self.failure("socket", path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            throw SocketError(description: "control socket path \(path) is too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        unlink(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else {
            close(fd)
            throw Self.failure("bind", path)
        }
        chmod(path, 0o660)
        guard listen(fd, 8) == 0 else {
            close(fd)
            throw Self.failure("listen", path)
        }
        listener = fd
    }

    /// Serves connections on a new thread until ``stop()``.
    public func start() {
        let thread = Thread { [self] in serve() }
        thread.name = "chain-control"
        thread.start()
    }

    /// Stops serving and removes the socket file.
    public func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        unlink(path)
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func peerAllowed(_ connection: Int32) -> Bool {
        var credentials = PeerCredentials()
        var length = socklen_t(MemoryLayout<PeerCredentials>.size)
        guard getsockopt(connection, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else { return false }
        if credentials.uid == 0 || credentials.uid == getuid() { return true }
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return credentials.gid == info.st_gid
    }

    private func serve() {
        while !isStopped {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            if peerAllowed(connection) {
                converse(connection)
            } else {
                write(connection, reply(["ok": false, "error": "permission denied"]))
            }
            close(connection)
        }
    }

    private func converse(_ connection: Int32) {
        var pending = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(connection, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            pending += buffer[0..<count]
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Data(pending[..<newline])
                pending.removeSubrange(...newline)
                write(connection, Array(wait(for: line)) + [UInt8(ascii: "\n")])
            }
        }
    }

    private func wait(for line: Data) -> Data {
        let box = ReplyBox()
        let semaphore = DispatchSemaphore(value: 0)
        let sidecar = self.sidecar
        Task {
            box.set(await sidecar.handle(requestLine: line))
            semaphore.signal()
        }
        semaphore.wait()
        return box.get()
    }

    private func reply(_ object: [String: Any]) -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return Array(data) + [UInt8(ascii: "\n")]
    }

    private func write(_ connection: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(connection, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }
}

/// `struct ucred` of <sys/socket.h>, which Glibc's module map hides (it needs _GNU_SOURCE); same layout.
private struct PeerCredentials {
    var pid: pid_t = 0
    var uid: uid_t = 0
    var gid: gid_t = 0
}

/// Holds one reply between the actor task and the waiting socket thread.
private final class ReplyBox: @unchecked Sendable {
    // @unchecked: written once before the semaphore is signalled, read after the wait.
    private var value = Data()
    func set(_ data: Data) { value = data }
    func get() -> Data { value }
}
