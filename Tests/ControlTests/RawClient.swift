import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A blocking client connection to a UNIX stream socket, for tests that send what `ControlClient` never would:
/// raw bytes, a byte at a time, or nothing. Closed when released.
final class RawClient {
    let handle: Int32
    /// Whether `connect` succeeded.
    let connected: Bool

    /// Connects to `path`; reads give up after `patience` seconds (against a hang, not a measured figure).
    init(_ path: String, patience seconds: Int = 20) {
        let handle = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        self.handle = handle
        var patience = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(handle, SOL_SOCKET, SO_RCVTIMEO, &patience, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(handle, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        } == 0
    }

    deinit { close(handle) }

    /// Writes all of `bytes`; false once the server has closed the connection.
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
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
    func readLines(upTo lines: Int = .max) -> [String] {
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
