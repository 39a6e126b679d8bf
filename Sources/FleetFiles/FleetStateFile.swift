import Foundation

/// The fleet state file: JSON lines appended by participants and the coordinator (format in `docs/fleet.md`), read
/// by operators' tools.
public enum FleetStateFile {
    /// Appends one record as a line, creating the file (mode 0640) when it is missing.
    ///
    /// - Throws: `FleetError` naming the file.
    public static func append(_ record: FleetStateRecord, to path: String) throws(FleetError) {
        let line = record.jsonLine() + "\n"
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw FleetError("cannot open the fleet state file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let bytes = Array(line.utf8)
        // One write of a short line with O_APPEND: lines of concurrent writers do not interleave.
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw FleetError("cannot append to the fleet state file \(path): \(String(cString: strerror(errno)))")
        }
    }
}
