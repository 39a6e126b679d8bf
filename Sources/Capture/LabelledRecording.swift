import Foundation
import Traces

/// Hosts the sensor saw mining by protocol evidence, written as labelled training traces for `coinsentry train`.
public enum LabelledRecording {
    /// Writes the series of every host that is the miner in a recognised session to
    /// `DIR/stratum-CAPTURE-HOST.dat`, and adds `stratum-CAPTURE-HOST.dat mining` to the folder's manifest (once),
    /// in the manifest format of `coinsentry train` (`PATH LABEL` per line; Detection's `Manifest`).
    ///
    /// - Parameters:
    ///   - recorder: a recorder that kept series and was given the session's evidence.
    ///   - capture: a name for the source, part of each file name (several captures can share a folder).
    ///   - manifestName: the manifest file in `directory` (`Manifest.defaultFileName` for `coinsentry train`).
    /// - Returns: the trace files written, relative to `directory`.
    @discardableResult
    public static func write(_ recorder: HostSeriesRecorder, interval: Double, capture: String, to directory: String,
                             manifestName: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let traces = recorder.traces(interval: interval)
        var written = [String]()
        for host in recorder.minersByEvidence.sorted() {
            guard let trace = traces[host] else { continue }
            let name = "stratum-\(fileSafe(capture))-\(fileSafe(host.description)).dat"
            try TraceFile.write(trace, to: "\(directory)/\(name)")
            written.append(name)
        }
        let manifest = "\(directory)/\(manifestName)"
        let existing = (try? String(contentsOfFile: manifest, encoding: .utf8)) ?? ""
        let listed = Set(existing.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
        let additions = written.filter { !listed.contains($0) }.map { "\($0) mining\n" }.joined()
        guard !additions.isEmpty else { return written }
        let separator = existing.isEmpty || existing.hasSuffix("\n") ? "" : "\n"
        let header = existing.isEmpty ? "# PATH LABEL: traces recorded by `coinsentry replay --record-labelled`\n" : ""
        try Data((existing + separator + header + additions).utf8).write(to: URL(fileURLWithPath: manifest))
        return written
    }

    /// Letters, digits, dots and dashes; anything else (the colons of IPv6) becomes an underscore.
    private static func fileSafe(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
    }
}
