#if canImport(Glibc)
import Glibc
#endif

/// The pool domains whose sightings in DNS and TLS SNI are evidence: the shipped list
/// (`etc/coinsentry/pool-domains.txt`) plus operators' own files, one name per line.
///
/// A name matches itself and every name below it (`nanopool.org` matches `xmr-eu1.nanopool.org`). Lines are
/// trimmed; `#` starts a comment; a leading `*.` is allowed and means the same. Matching is done in the capture
/// thread (`CaptureConfiguration.poolDomains`, `CaptureSession.setPoolDomains`) by hashed label suffixes.
public struct PoolDomainList: Hashable, Sendable {
    /// The normalised names, in file order, without duplicates.
    public private(set) var names: [String] = []

    public init(names: [String] = []) {
        for name in names { append(name) }
    }

    /// Reads and merges the files in order.
    /// - Throws: `CaptureError` `.invalidArgument` naming the file and line of a bad entry, or `.io` when a file
    ///   cannot be read.
    public init(files: [String]) throws(CaptureError) {
        for path in files {
            let text = try Self.read(path)
            try merge(parsing: text, origin: path)
        }
    }

    /// Adds the entries of a list's text (`origin` names it in errors).
    /// - Throws: `CaptureError` `.invalidArgument` for a line that is not a domain name.
    public mutating func merge(parsing text: String, origin: String) throws(CaptureError) {
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let entry = content.trimmingCharacters()
            guard !entry.isEmpty else { continue }
            if let problem = Self.problem(with: entry) {
                throw CaptureError(.invalidArgument, "\(origin):\(index + 1): \"\(entry)\" is not a pool domain: \(problem)")
            }
            append(entry)
        }
    }

    private mutating func append(_ entry: String) {
        var name = entry.lowercased()
        if name.hasPrefix("*.") { name.removeFirst(2) }
        while name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty, !names.contains(name) else { return }
        names.append(name)
    }

    /// Why `entry` is not a domain name, or nil when it is one.
    static func problem(with entry: String) -> String? {
        var name = Substring(entry)
        if name.hasPrefix("*.") { name = name.dropFirst(2) }
        if name.hasSuffix(".") { name = name.dropLast() }
        guard name.utf8.count <= 253 else { return "longer than 253 characters" }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return "a single label would match a whole top-level domain" }
        for label in labels {
            guard !label.isEmpty else { return "empty label" }
            guard label.utf8.count <= 63 else { return "label \"\(label)\" is longer than 63 characters" }
            guard label.utf8.allSatisfy({ Self.allowed($0) }) else {
                return "label \"\(label)\" has characters other than letters, digits, '-' and '_'"
            }
        }
        return nil
    }

    private static func allowed(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2d || byte == 0x5f
    }

    private static func read(_ path: String) throws(CaptureError) -> String {
        guard let file = fopen(path, "rb") else {
            throw CaptureError(.io, "cannot read the pool-domain list \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count > 0 { bytes += chunk[0..<count] }
            if count < chunk.count { break }
        }
        guard ferror(file) == 0 else { throw CaptureError(.io, "error reading the pool-domain list \(path)") }
        return String(decoding: bytes, as: UTF8.self)
    }
}

private extension Substring {
    func trimmingCharacters() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
