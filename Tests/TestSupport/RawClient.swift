import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A blocking client connection to a UNIX stream socket or a TCP port on 127.0.0.1, for tests that send what a
/// well-behaved client never would: raw bytes, a byte at a time, or nothing. Closed when released.
public final class RawClient: Sendable {
    /// The socket's descriptor.
    public let handle: Int32
    /// Whether `connect` succeeded.
    public let connected: Bool

    /// Connects to the UNIX socket at `path`; reads give up after `patience` seconds (against a hang, not a measured
    /// figure).
    public init(_ path: String, patience seconds: Int = 20) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        (handle, connected) = Self.connect(family: AF_UNIX, to: &address, patience: seconds)
    }

    /// Connects to TCP `port` on 127.0.0.1; reads give up after `patience` seconds.
    public init(tcpPort port: UInt16, patience seconds: Int = 20) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        (handle, connected) = Self.connect(family: AF_INET, to: &address, patience: seconds)
    }

    private static func connect<Address>(family: Int32, to address: inout Address, patience seconds: Int)
        -> (Int32, Bool) {
        let handle = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        var patience = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(handle, SOL_SOCKET, SO_RCVTIMEO, &patience, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(handle, $0, socklen_t(MemoryLayout<Address>.size))
            }
        } == 0
        return (handle, connected)
    }

    deinit { close(handle) }

    /// Says that nothing more will be sent (a half close, as a client whose request is cut short).
    public func finishWriting() { shutdown(handle, Int32(SHUT_WR)) }

    /// Whether the server has closed the connection, asked without waiting (what it sent before is read and dropped).
    public var peerHasClosed: Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(handle, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count == 0 { return true }
            if count < 0 { return errno != EAGAIN && errno != EWOULDBLOCK }
        }
    }

    /// Everything the server sends until it closes the connection, or nil when it is still open after the patience.
    public func readToClose() -> [UInt8]? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(handle, &buffer, buffer.count, 0)
            if count == 0 { return received }
            if count < 0 { return errno == ECONNRESET ? received : nil }
            received += buffer.prefix(count)
        }
    }

    /// Writes all of `bytes`; false once the server has closed the connection.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                send(handle, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    /// Everything the server sends until it closes the connection (or `lines` lines came), as lines.
    public func readLines(upTo lines: Int = .max) -> [String] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while received.count(where: { $0 == UInt8(ascii: "\n") }) < lines {
            let count = recv(handle, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer.prefix(count)
        }
        return String(decoding: received, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
