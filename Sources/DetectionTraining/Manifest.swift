import Detection
import Foundation

/// A trace file with its class, as a manifest lists it.
public struct LabelledTrace: Hashable, Sendable {
    /// The trace's name: its path relative to the data folder, without `.dat`.
    public var name: String
    /// The file.
    public var path: String
    /// True for *mining*.
    public var isMining: Bool
    /// The single-class traces it is made of: itself for a plain trace, both parts for a mix. Used to keep a mix
    /// out of testing when one of its parts was trained on.
    public var parts: [String]
    /// The traffic class for the multi-class model (`MultiClassTrainer`), or `nil` when the trace trains and tests
    /// only the binary model (a mix of two classes, or a manifest line without `class=`).
    public var trafficClass: String?

    public init(name: String, path: String, isMining: Bool, parts: [String], trafficClass: String? = nil) {
        self.name = name
        self.path = path
        self.isMining = isMining
        self.parts = parts
        self.trafficClass = trafficClass
    }
}

/// Labels for the traces of a data folder: trace → class.
///
/// A manifest file has one trace per line, `PATH LABEL [PART,PART] [class=NAME]`, with `PATH` relative to the data
/// folder, `LABEL` `mining` or `normal`, for a mix the base names of its parts, and optionally the trace's traffic
/// class for the multi-class model (letters, digits, `.`, `_`, `-`; every trace of one class must have the same
/// label); `#` starts a comment. A line without `class=` has no class: the binary model trains on it, the
/// multi-class model does not. Without a manifest file, the default (the one for `../shared/data/nypto/`) takes every
/// `.dat` file under the folder, labels as *mining* those whose file name starts with `mining_` or `vpn-mining-`
/// (mixes included), reads a mix's parts from its name (`A_B` where `A` and `B` are the names of other traces in the
/// folder), and gives every plain trace its base name as class and a mix none: a mix is two classes at once.
public enum Manifest {
    /// The manifest file looked for in a data folder when none is given.
    public static let defaultFileName = "coinsentry-manifest.txt"

    /// Loads the labelled traces of a data folder.
    ///
    /// - Parameters:
    ///   - directory: the data folder.
    ///   - manifest: a manifest file; when `nil`, `DIR/coinsentry-manifest.txt` if present, else the default rule.
    /// - Throws: `ManifestError` naming the file and line.
    public static func load(directory: String, manifest: String? = nil) throws(ManifestError) -> [LabelledTrace] {
        let candidate = manifest ?? "\(directory)/\(defaultFileName)"
        if FileManager.default.fileExists(atPath: candidate) {
            return try parse(file: candidate, directory: directory)
        }
        if let manifest { throw ManifestError("\(manifest): no such manifest file") }
        return try defaultLabels(directory: directory)
    }

    /// The default rule: see the type's documentation.
    public static func defaultLabels(directory: String) throws(ManifestError) -> [LabelledTrace] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw ManifestError("\(directory): cannot list the data folder")
        }
        var relativePaths = [String]()
        for case let relative as String in enumerator where relative.hasSuffix(".dat") {
            relativePaths.append(relative)
        }
        relativePaths.sort()
        guard !relativePaths.isEmpty else { throw ManifestError("\(directory): no .dat trace files") }
        let baseNames = Set(relativePaths.map(baseName))
        return relativePaths.map { relative in
            let base = baseName(relative)
            let mix = mixParts(base, among: baseNames)
            return LabelledTrace(
                name: String(relative.dropLast(4)), path: "\(directory)/\(relative)",
                isMining: base.hasPrefix("mining_") || base.hasPrefix("vpn-mining-"),
                parts: mix ?? [base], trafficClass: mix == nil ? base : nil)
        }
    }

    private static func parse(file: String, directory: String) throws(ManifestError) -> [LabelledTrace] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ManifestError("\(file): cannot read the manifest")
        }
        var traces = [LabelledTrace]()
        var classLabels = [String: (isMining: Bool, line: Int)]()
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = content.split(whereSeparator: \.isWhitespace).map(String.init)
            if fields.isEmpty { continue }
            let place = "\(file):\(number + 1)"
            guard (2...4).contains(fields.count), ["mining", "normal"].contains(fields[1]) else {
                throw ManifestError(
                    "\(place): expected 'PATH mining|normal [PART,PART] [class=NAME]', got '\(content)'")
            }
            let isMining = fields[1] == "mining"
            var parts: [String]?
            var trafficClass: String?
            for field in fields.dropFirst(2) {
                if field.hasPrefix("class=") {
                    guard trafficClass == nil else { throw ManifestError("\(place): 'class=' given twice") }
                    trafficClass = try className(String(field.dropFirst(6)), place: place)
                } else if parts == nil {
                    parts = field.split(separator: ",").map(String.init)
                } else {
                    throw ManifestError(
                        "\(place): unexpected '\(field)' after the parts (a class is written class=NAME)")
                }
            }
            if let trafficClass {
                if let earlier = classLabels[trafficClass], earlier.isMining != isMining {
                    let other = earlier.isMining ? "mining" : "normal"
                    throw ManifestError("\(place): class '\(trafficClass)' is labelled \(fields[1]) here but \(other) "
                        + "on line \(earlier.line); a class is either mining or normal")
                }
                classLabels[trafficClass] = (isMining, number + 1)
            }
            traces.append(LabelledTrace(
                name: fields[0].hasSuffix(".dat") ? String(fields[0].dropLast(4)) : fields[0],
                path: "\(directory)/\(fields[0])", isMining: isMining, parts: parts ?? [baseName(fields[0])],
                trafficClass: trafficClass))
        }
        return traces
    }

    private static func className(_ name: String, place: String) throws(ManifestError) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !name.isEmpty, name.allSatisfy(allowed.contains) else {
            throw ManifestError("\(place): class '\(name)' must be non-empty letters, digits, '.', '_' or '-'")
        }
        return name
    }

    /// The file name without folder and `.dat`.
    public static func baseName(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.hasSuffix(".dat") ? String(file.dropLast(4)) : file
    }

    private static func mixParts(_ name: String, among names: Set<String>) -> [String]? {
        for index in name.indices where name[index] == "_" {
            let first = String(name[..<index])
            let second = String(name[name.index(after: index)...])
            if names.contains(first), names.contains(second) { return [first, second] }
        }
        return nil
    }
}

/// A manifest that cannot be used.
public struct ManifestError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
