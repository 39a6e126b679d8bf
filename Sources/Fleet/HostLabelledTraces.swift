import Detection
import DetectionTraining
import FleetFiles
import Foundation

/// A data folder's traces labelled by the operators' host labels (`coinsentryctl label`, the daemon's label file)
/// instead of a manifest: `coinsentry replay --trace-dir` names each host's trace `HOST.dat`, so a trace whose file
/// name is a labelled host takes that host's label; traces of unlabelled hosts are left out.
public enum HostLabelledTraces {
    /// The labelled traces under `directory` (sub-folders included, e.g. one per capture), by path.
    ///
    /// - Throws: `ManifestError` when the folder cannot be listed.
    public static func load(directory: String, labels: [HostLabel]) throws(ManifestError) -> [LabelledTrace] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw ManifestError("\(directory): cannot list the data folder")
        }
        let byHost = Dictionary(labels.map { ($0.host, $0.label) }, uniquingKeysWith: { _, last in last })
        var traces = [LabelledTrace]()
        for case let relative as String in enumerator where relative.hasSuffix(".dat") {
            guard let label = byHost[Manifest.baseName(relative)] else { continue }
            let name = String(relative.dropLast(4))
            traces.append(LabelledTrace(name: name, path: "\(directory)/\(relative)", isMining: label == .mining,
                                        parts: [name]))
        }
        return traces.sorted { $0.name < $1.name }
    }
}
