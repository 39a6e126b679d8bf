import Foundation
import Glibc

/// Real syslog receivers for the tests: a datagram socket (UDP on 127.0.0.1 or unix in a temp folder) and a TCP
/// listener that reads octet-counted frames (RFC 6587 §3.4.1).
public final class DatagramReceiver: @unchecked Sendable {
    // @unchecked: the descriptor and port are set once, in init; receiving is the kernel's to serialise.
    private let descriptor: Int32
    /// The UDP port bound, 0 for a unix socket.
    public private(set) var port: UInt16 = 0

    /// Binds UDP on 127.0.0.1 at `port` (an ephemeral one for 0), with a receive buffer of at least
    /// `receiveBuffer` bytes when given (root may exceed the system's limit), to take a burst without losing any.
    public init(port requested: UInt16 = 0, receiveBuffer: Int32? = nil) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        try check(descriptor >= 0, "socket")
        self.descriptor = descriptor
        if var size = receiveBuffer {
            let length = socklen_t(MemoryLayout<Int32>.size)
            if setsockopt(descriptor, SOL_SOCKET, SO_RCVBUFFORCE, &size, length) != 0 {
                try check(setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, length) == 0, "SO_RCVBUF")
            }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = requested.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        try check(withSockaddr(&address) { bind(descriptor, $0, $1) } == 0, "bind udp")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try check(getsockname(descriptor, castSockaddr(&address), &length) == 0, "getsockname")
        port = UInt16(bigEndian: address.sin_port)
    }

    /// Binds a unix datagram socket at `path`.
    public init(unixPath path: String) throws {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        try check(descriptor >= 0, "socket")
        self.descriptor = descriptor
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        try check(withSockaddr(&address) { bind(descriptor, $0, $1) } == 0, "bind unix")
    }

    deinit { close(descriptor) }

    /// The next datagram, or nil after `timeout`.
    public func receive(timeout: Duration = .seconds(5)) -> String? {
        guard waitReadable(descriptor, timeout: timeout) else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}

/// A TCP listener on 127.0.0.1 that accepts one connection at a time and splits octet-counted frames.
public final class TCPReceiver {
    private var listener: Int32
    private var connection: Int32 = -1
    private var pending: [UInt8] = []
    /// The port listened on.
    public let port: UInt16

    /// Listens on `port` (0 for an ephemeral one) with SO_REUSEADDR, so a restart can take the same port again.
    public init(port requested: UInt16 = 0) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try check(listener >= 0, "socket")
        self.listener = listener
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = requested.bigEndian
        try check(withSockaddr(&address) { bind(listener, $0, $1) } == 0, "bind tcp")
        try check(Glibc.listen(listener, 8) == 0, "listen")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try check(getsockname(listener, castSockaddr(&address), &length) == 0, "getsockname")
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { stop() }

    /// The next `count` frames, accepting a connection first if none is open; fewer if `timeout` passes.
    public func frames(_ count: Int, timeout: Duration = .seconds(5)) -> [String] {
        let deadline = ContinuousClock.now + timeout
        var frames: [String] = []
        while frames.count < count {
            if let frame = nextFrameFromPending() {
                frames.append(frame)
                continue
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { break }
            if connection < 0 {
                guard waitReadable(listener, timeout: remaining) else { break }
                connection = accept(listener, nil, nil)
                continue
            }
            guard waitReadable(connection, timeout: remaining) else { break }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let received = recv(connection, &buffer, buffer.count, 0)
            if received <= 0 {
                close(connection)
                connection = -1
                continue
            }
            pending += buffer[..<received]
        }
        return frames
    }

    /// Closes the connection and the listener, as a collector that is killed.
    public func stop() {
        if connection >= 0 { close(connection) }
        connection = -1
        if listener >= 0 { close(listener) }
        listener = -1
    }

    private func nextFrameFromPending() -> String? {
        guard let space = pending.firstIndex(of: UInt8(ascii: " ")),
              let length = Int(String(decoding: pending[..<space], as: UTF8.self)),
              pending.count >= space + 1 + length else { return nil }
        let frame = String(decoding: pending[(space + 1)..<(space + 1 + length)], as: UTF8.self)
        pending.removeFirst(space + 1 + length)
        return frame
    }
}

/// A port on 127.0.0.1 where nothing listens (bound once, then released).
public func unusedTCPPort() throws -> UInt16 {
    let receiver = try TCPReceiver()
    let port = receiver.port
    receiver.stop()
    return port
}

private struct SocketFailure: Error, CustomStringConvertible {
    var description: String
}

private func check(_ condition: Bool, _ call: String) throws {
    guard condition else { throw SocketFailure(description: "\(call): \(String(cString: strerror(errno)))") }
}

private func waitReadable(_ descriptor: Int32, timeout: Duration) -> Bool {
    var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
    return poll(&entry, 1, max(0, milliseconds)) > 0
}

private func castSockaddr<T>(_ address: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<sockaddr> {
    UnsafeMutableRawPointer(address).assumingMemoryBound(to: sockaddr.self)
}

private func withSockaddr<T, R>(_ address: inout T, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
    withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<T>.size)) }
    }
}
