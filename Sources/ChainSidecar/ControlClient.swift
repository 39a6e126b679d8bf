import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A client of the sidecar's control socket, for `coinsentryctl chain ...`: sends request lines and reads one reply
/// line per request.
public enum ControlClient {
    /// Sends `requests` (each one JSON object, no newline) over the UNIX socket at `path` and returns the replies.
    ///
    /// - Throws: ``ControlSocketServer/SocketError`` naming the call (socket, connect, write, read) and the path.
    public static func exchange(path: String, requests: [String]) throws -> [String] {
        func failure(_ call: String) -> ControlSocketServer.SocketError {
            let reason = String(cString: strerror(errno))
            return ControlSocketServer.SocketError(description: "\(call) on \(path) failed: \(reason)"
                                                   + (call == "connect" ? " (is coinsentry-chaind running?)" : ""))
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw failure("socket") }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw ControlSocketServer.SocketError(description: "control socket path \(path) is too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else { throw failure("connect") }
        let payload = Array(requests.map { $0 + "\n" }.joined().utf8)
        var offset = 0
        while offset < payload.count {
            let written = payload[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw failure("write") }
            offset += written
        }
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.lazy.filter({ $0 == UInt8(ascii: "\n") }).count < requests.count {
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw failure("read") }
            if count == 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
