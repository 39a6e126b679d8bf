import CSystemd
import Glibc

/// The one Swift wrapper of libsystemd: sends structured entries to journald.
enum Journal {
    /// Where journald takes entries.
    static let socket = "/run/systemd/journal/socket"

    /// Sends one journal entry made of `FIELD=value` items (`sd_journal_sendv`).
    ///
    /// Field names must be upper case ASCII letters, digits and underscores, not starting with an underscore; values
    /// may hold any bytes, newlines included (libsystemd frames them). journald must be listening on
    /// `/run/systemd/journal/socket`.
    /// - Throws: ``AlertingError/Code/journal`` with the errno when journald is not reachable or refuses the entry.
    static func send(_ fields: [(name: String, value: String)]) throws(AlertingError) {
        // sd_journal_sendv reports success, dropping the entry, when the socket does not exist (journald has not
        // started): that is a failure here, so that it is counted.
        guard access(socket, F_OK) == 0 else {
            throw AlertingError(.journal, "\(socket) does not exist: systemd-journald is not running", errno: ENOENT)
        }
        // All items in one buffer, so every iovec points into memory that stays valid for the one call.
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for field in fields {
            let start = bytes.count
            bytes.append(contentsOf: "\(field.name)=\(field.value)".utf8)
            ranges.append(start..<bytes.count)
        }
        let result: Int32 = bytes.withUnsafeMutableBytes { buffer in
            var vectors = ranges.map { iovec(iov_base: buffer.baseAddress! + $0.lowerBound, iov_len: $0.count) }
            return cs_sd_journal_sendv(&vectors, Int32(vectors.count))
        }
        guard result >= 0 else {
            throw AlertingError(
                .journal, "sd_journal_sendv failed: \(String(cString: strerror(-result))); is systemd-journald running "
                    + "and /run/systemd/journal/socket writable?", errno: -result)
        }
    }
}
