import Foundation

/// The operator label file: the labels `coinsentryd` keeps, one JSON object per line (`host`, `label`, `note`,
/// `requested_by`, `time` in ISO 8601 UTC), sorted by host. The daemon rewrites it whole (atomically) on every change
/// and at start; `coinsentry fleet windows --host-labels` reads it. `docs/fleet.md` describes it.
public enum HostLabelFile {
    /// Its name in the daemon's state directory.
    public static let name = "labels.jsonl"

    /// Its place under a state directory.
    public static func path(inStateDirectory directory: String) -> String { "\(directory)/\(name)" }

    /// Replaces the file with `labels` (sorted by host): written to a temporary file beside it (mode 0640, so the
    /// group, and the fleet participant in it, may read it) and renamed over it.
    ///
    /// - Throws: `FleetError` naming the file.
    public static func write(_ labels: [HostLabel], to path: String) throws(FleetError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var text = ""
        for label in labels.sorted(by: { $0.host < $1.host }) {
            // Encoding strings and a date cannot fail.
            text += String(decoding: (try? encoder.encode(label)) ?? Data(), as: UTF8.self) + "\n"
        }
        let temporary = "\(path).new"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: 0o640]),
              rename(temporary, path) == 0 else {
            throw FleetError("cannot write the label file \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Reads a label file; a line that does not decode (or names a host twice) is skipped and listed with its
    /// number.
    ///
    /// - Throws: `FileProblem` when the file is missing or unreadable.
    public static func read(_ path: String) throws(FileProblem) -> (labels: [HostLabel], problems: [FileProblem]) {
        let missing = "no such label file; coinsentryd writes \(name) in its state directory "
            + "(/var/lib/coinsentry/\(name) by default) when an operator labels a host (coinsentryctl label)"
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var labels = [HostLabel]()
        var problems = [FileProblem]()
        for (number, data) in try JSONLines.lines(of: path, missing: missing) {
            do throws(JSONLines.LineError) {
                let label = try JSONLines.decode(HostLabel.self, data, decoder: decoder)
                if labels.contains(where: { $0.host == label.host }) {
                    problems.append(FileProblem(file: path, line: number, message: "\(label.host) labelled again"))
                } else {
                    labels.append(label)
                }
            } catch {
                problems.append(FileProblem(file: path, line: number, message: error.message))
            }
        }
        return (labels, problems)
    }
}
