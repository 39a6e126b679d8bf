import SystemCalls
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// The one Swift wrapper of the socket calls the syslog sink makes: a connected client socket to a unix datagram
/// path, a UDP collector or a TCP collector. Used only by the sink's sender thread. Every call goes through
/// `valueOrErrno` (module SystemCalls), which reads errno at once.
final class Socket {
    /// Where to connect.
    enum Endpoint: Hashable, Sendable {
        case unixDatagram(path: String)
        case udp(host: String, port: UInt16)
        case tcp(host: String, port: UInt16)
    }

    private let descriptor: Int32
    /// True for TCP, where a message may need several `send` calls and the peer can close.
    let isStream: Bool

    private init(descriptor: Int32, isStream: Bool) {
        self.descriptor = descriptor
        self.isStream = isStream
    }

    deinit { close(descriptor) }

    /// Opens a socket and connects it (`socket`, `connect`, and `getaddrinfo` for host names).
    /// - Parameter timeout: how long `connect` and each `send` may block (`SO_SNDTIMEO`).
    /// - Throws: ``AlertingError/Code/resolve`` when the host does not resolve, ``AlertingError/Code/socket`` with the
    ///   errno of the last address tried otherwise.
    static func connect(to endpoint: Endpoint, timeout: Duration) throws(AlertingError) -> Socket {
        switch endpoint {
        case .unixDatagram(let path):
            return try connectUnix(path: path, timeout: timeout)
        case .udp(let host, let port):
            return try connectInet(host: host, port: port, type: SOCK_DGRAM, timeout: timeout)
        case .tcp(let host, let port):
            return try connectInet(host: host, port: port, type: SOCK_STREAM, timeout: timeout)
        }
    }

    private static func connectUnix(path: String, timeout: Duration) throws(AlertingError) -> Socket {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw AlertingError(.invalidArgument, "syslog socket path is too long for a unix socket: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: pathBytes) }
        let socket = try open(domain: AF_UNIX, type: SOCK_DGRAM, isStream: false, timeout: timeout)
        _ = try withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                valueOrErrno(Glibc.connect(socket.descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)))
            }
        }.get { failure("connect to unix socket \(path)", $0) }
        return socket
    }

    private static func connectInet(host: String, port: UInt16, type: __socket_type,
                                    timeout: Duration) throws(AlertingError) -> Socket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(type.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw AlertingError(.resolve, "getaddrinfo \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var last = Errno.noSuchAddressOrDevice
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let socket = try open(domain: info.pointee.ai_family, type: type, isStream: type == SOCK_STREAM,
                                  timeout: timeout)
            switch valueOrErrno(Glibc.connect(socket.descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen)) {
            case .success: return socket
            case .failure(let error): last = error
            }
        }
        throw failure("connect to \(host):\(port)", last)
    }

    private static func open(domain: Int32, type: __socket_type, isStream: Bool,
                             timeout: Duration) throws(AlertingError) -> Socket {
        let descriptor = try valueOrErrno(socket(domain, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0))
            .get { failure("socket", $0) }
        let socket = Socket(descriptor: descriptor, isStream: isStream)
        let components = timeout.components
        var value = timeval(tv_sec: Int(components.seconds), tv_usec: Int(components.attoseconds / 1_000_000_000_000))
        _ = try valueOrErrno(setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &value,
                                        socklen_t(MemoryLayout<timeval>.size)))
            .get { failure("setsockopt SO_SNDTIMEO", $0) }
        return socket
    }

    /// Sends one message (`send` with `MSG_NOSIGNAL`): one datagram, or on TCP every byte, retrying on EINTR.
    /// - Throws: ``AlertingError/Code/socket`` with the errno; on TCP part of the message may have gone out.
    func send(_ bytes: [UInt8]) throws(AlertingError) {
        var offset = 0
        while offset < bytes.count {
            let sent = try bytes.withUnsafeBytes { buffer in
                valueOrErrno(retryingOnInterrupt: {
                    Glibc.send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                })
            }.get { Self.failure("send", $0) }
            guard isStream else {
                guard sent == bytes.count else { throw Self.failure("send (datagram truncated)", .messageTooLong) }
                return
            }
            offset += sent
        }
    }

    /// True when a TCP peer has closed its end or reset the connection (`recv` with `MSG_PEEK | MSG_DONTWAIT`).
    ///
    /// A send into a connection whose peer is gone usually succeeds once before failing, so the sink asks this
    /// before each send rather than lose that message.
    var peerHasClosed: Bool {
        guard isStream else { return false }
        var byte: UInt8 = 0
        switch valueOrErrno(recv(descriptor, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))) {
        case .success(let received): return received == 0
        case .failure(let error): return error != .resourceTemporarilyUnavailable && error != .interrupted
        }
    }

    private static func failure(_ call: String, _ error: Errno) -> AlertingError {
        AlertingError(.socket, "\(call) failed: \(error)", errno: error.rawValue)
    }
}
