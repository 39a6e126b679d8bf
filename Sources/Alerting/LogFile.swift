import Glibc

/// The one Swift wrapper of the file calls the JSON lines sink makes: an append-only file written a line at a time.
final class LogFile {
    private let descriptor: Int32
    /// The path the file was opened at (it may since have been renamed).
    let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    /// Opens `path` for appending, creating it with exactly `mode` (`open` with `O_APPEND`, `fchmod` so the umask
    /// does not narrow or widen it); an existing file keeps the mode it has.
    /// - Throws: ``AlertingError/Code/file`` with the errno.
    static func openForAppending(path: String, mode: mode_t) throws(AlertingError) -> LogFile {
        let flags = O_WRONLY | O_APPEND | O_CLOEXEC
        let created = retryingEINTR { open(path, flags | O_CREAT | O_EXCL, mode) }
        if created >= 0 {
            let file = LogFile(descriptor: created, path: path)
            guard fchmod(created, mode) == 0 else { throw failure("fchmod \(path)", errno) }
            return file
        }
        guard errno == EEXIST else { throw failure("open \(path)", errno) }
        let existing = retryingEINTR { open(path, flags) }
        guard existing >= 0 else { throw failure("open \(path)", errno) }
        return LogFile(descriptor: existing, path: path)
    }

    /// Appends `bytes` with one `write` call (O_APPEND makes it atomic against other appenders), retrying on EINTR.
    /// A short write, which only a full disk or a file size limit causes, writes the rest with further calls; when
    /// those fail, the part written is cut off again (`ftruncate`), so the file holds whole lines only and the next
    /// append, once there is room, starts a line of its own.
    /// - Throws: ``AlertingError/Code/file`` with the errno.
    func append(_ bytes: [UInt8]) throws(AlertingError) {
        let start = lseek(descriptor, 0, SEEK_END)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                let error = errno
                if error == EINTR { continue }
                if offset > 0 && start >= 0 { _ = ftruncate(descriptor, start) }
                throw Self.failure("write \(path)", error)
            }
            offset += written
        }
    }

    private static func retryingEINTR(_ call: () -> Int32) -> Int32 {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }

    private static func failure(_ call: String, _ code: Int32) -> AlertingError {
        AlertingError(.file, "\(call) failed: \(String(cString: strerror(code)))", errno: code)
    }
}
