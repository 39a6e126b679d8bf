// The system calls of the control socket that swift-nio does not make: binding with the socket's mode and group set
// before anyone can connect, and the probe that tells a live socket from a stale file. Every call goes through
// `valueOrErrno` (module SystemCalls), which reads errno at once, before any other call can change it.
import Foundation
import SystemCalls
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// A listening UNIX socket's descriptor: created, bound, its mode and group set, listening.
enum UnixSocket {
    /// Binds a new socket at `path` with `mode` and, when given, `group`, and listens; a stale file (nothing listening)
    /// is replaced. The mode and group are set before `listen`, so no client can connect before they hold; clients
    /// that connect before swift-nio takes the socket over wait in the backlog.
    /// - Throws: `ControlError` `.alreadyRunning`, `.permissionDenied` or `.io`, naming the path and the errno.
    static func bind(path: String, mode: mode_t, group: String?, backlog: Int32) throws(ControlError) -> Int32 {
        if FileManager.default.fileExists(atPath: path) {
            if case .success(let probe) = connect(path) {
                close(probe)
                throw ControlError(.alreadyRunning, "another daemon already serves \(path)")
            }
            unlink(path)
        }
        var gid: gid_t?
        if let group {
            guard let entry = getgrnam(group) else {
                throw ControlError(.io, "control socket group '\(group)' does not exist (create it, or set another)")
            }
            gid = entry.pointee.gr_gid
        }
        var address = try address(path)
        let descriptor: Int32
        switch valueOrErrno(socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)) {
        case .success(let value): descriptor = value
        case .failure(let error): throw ControlError(.io, "socket(): \(error)")
        }
        func fail(_ what: String, _ error: Errno, bound: Bool = true) -> ControlError {
            close(descriptor)
            if bound { unlink(path) }
            let code: ControlError.Code = error == .permissionDenied || error == .notPermitted ? .permissionDenied : .io
            return ControlError(code, "\(what) \(path): \(error)")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                valueOrErrno(Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)))
            }
        }
        if case .failure(let error) = bound { throw fail("cannot bind", error, bound: false) }
        if case .failure(let error) = valueOrErrno(chmod(path, mode)) { throw fail("cannot set the mode of", error) }
        if let gid, let group, case .failure(let error) = valueOrErrno(chown(path, getuid(), gid)) {
            throw fail("cannot give group \(group) (the daemon's user must belong to it) to", error)
        }
        if case .failure(let error) = valueOrErrno(listen(descriptor, backlog)) {
            throw fail("cannot listen on", error)
        }
        return descriptor
    }

    /// A blocking connection to `path`, for the liveness probe.
    static func connect(_ path: String) -> Result<Int32, Errno> {
        guard var address = try? address(path) else { return .failure(.fileNameTooLong) }
        let descriptor: Int32
        switch valueOrErrno(socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)) {
        case .success(let value): descriptor = value
        case .failure(let error): return .failure(error)
        }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                valueOrErrno(Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)))
            }
        }
        if case .failure(let error) = status {
            close(descriptor)
            return .failure(error)
        }
        return .success(descriptor)
    }

    static func address(_ path: String) throws(ControlError) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw ControlError(.io, "socket path too long (\(bytes.count) bytes, at most 107): \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        return address
    }
}

/// Linux's `struct ucred` (pid, uid, gid), which Glibc only declares under `_GNU_SOURCE`: the layout is fixed ABI.
struct PeerCredentialsRecord: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
