import SystemCalls
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// The JSON lines sink's file: append-only, written a line at a time, through swift-system's `FileDescriptor`.
final class LogFile {
    private let descriptor: FileDescriptor
    /// The path the file was opened at (it may since have been renamed).
    let path: String

    private init(descriptor: FileDescriptor, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { try? descriptor.close() }

    /// Opens `path` for appending, creating it with exactly `mode` (`fchmod` after creating, so the umask does not
    /// narrow or widen it); an existing file keeps the mode it has.
    /// - Throws: ``AlertingError/Code/file`` with the errno.
    static func openForAppending(path: String, mode: mode_t) throws(AlertingError) -> LogFile {
        let filePath = FilePath(path)
        do {
            let created = try FileDescriptor.open(filePath, .writeOnly,
                                                  options: [.append, .create, .exclusiveCreate, .closeOnExec],
                                                  permissions: FilePermissions(rawValue: mode))
            let file = LogFile(descriptor: created, path: path)
            _ = try valueOrErrno(fchmod(created.rawValue, mode)).get { failure("fchmod \(path)", $0) }
            return file
        } catch let error as Errno where error == .fileExists {
            do {
                return LogFile(descriptor: try FileDescriptor.open(filePath, .writeOnly, options: [.append, .closeOnExec]),
                               path: path)
            } catch {
                throw failure("open \(path)", error as? Errno ?? .ioError)
            }
        } catch let error as AlertingError {
            throw error
        } catch {
            throw failure("open \(path)", error as? Errno ?? .ioError)
        }
    }

    /// Appends `bytes` with one `write` call (O_APPEND makes it atomic against other appenders), retrying on EINTR.
    /// A short write, which only a full disk or a file size limit causes, writes the rest with further calls; when
    /// those fail, the part written is cut off again (`ftruncate`), so the file holds whole lines only and the next
    /// append, once there is room, starts a line of its own.
    /// - Throws: ``AlertingError/Code/file`` with the errno.
    func append(_ bytes: [UInt8]) throws(AlertingError) {
        let start = try? descriptor.seek(offset: 0, from: .end)
        var offset = 0
        while offset < bytes.count {
            do {
                offset += try bytes.withUnsafeBytes { try descriptor.write(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            } catch {
                if offset > 0, let start { try? descriptor.resize(to: start) }
                throw Self.failure("write \(path)", error as? Errno ?? .ioError)
            }
        }
    }

    private static func failure(_ call: String, _ error: Errno) -> AlertingError {
        AlertingError(.file, "\(call) failed: \(error)", errno: error.rawValue)
    }
}
