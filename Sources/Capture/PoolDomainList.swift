#if canImport(Glibc)
import Glibc
#endif

/// The pool domains whose sightings in DNS and TLS SNI are evidence: the shipped list
/// (`etc/coinsentry/pool-domains.txt`) plus operators' own files, in the formats blocklists come in.
///
/// Each line is one of:
/// - a domain (`nanopool.org`; a leading `*.` is allowed and means the same),
/// - a hosts-file line (`0.0.0.0 coinhive.com`, `127.0.0.1 a.example b.example`; `localhost` and the like are
///   skipped),
/// - an Adblock-style domain rule (`||coinhive.com^`, options after `$` ignored).
///
/// `#` starts a comment anywhere, `!` and `[` start an Adblock comment or header line. A name matches itself and every
/// name below it (`nanopool.org` matches `xmr-eu1.nanopool.org`). A line that is none of these (an Adblock rule with a
/// path or an element filter, a name with a space, a single label) is skipped and reported with its file and line
/// (`problems`, the first `reportedProblems` of them; `skippedLines` counts all), so a public blocklist with a few
/// rules of other kinds still loads. Duplicates are counted and kept once. Matching is done in the capture thread
/// (`CaptureConfiguration.poolDomains`, `CaptureSession.setPoolDomains`) by hashed label suffixes.
public struct PoolDomainList: Hashable, Sendable {
    /// A line that was skipped: where, and why.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var reason: String
        public var description: String { "\(file):\(line): \(reason)" }
    }

    /// At most this many names in all: a list beyond it is refused, so a runaway file cannot exhaust memory.
    public static let maximumNames = 4_000_000
    /// Lines longer than this are skipped (no domain rule is this long).
    public static let maximumLineBytes = 4096
    /// How many problems are kept for reporting (all are counted).
    public static let reportedProblems = 20

    /// The normalised names, in file order, without duplicates.
    public private(set) var names: [String] = []
    /// The first `reportedProblems` skipped lines.
    public private(set) var problems: [Problem] = []
    /// Lines skipped because they were not a domain rule.
    public private(set) var skippedLines = 0
    /// Entries that repeated a name already listed.
    public private(set) var duplicates = 0
    private var known: Set<String> = []

    public init(names: [String] = []) {
        for name in names { append(name) }
    }

    /// Reads and merges the files in order.
    /// - Throws: `CaptureError` `.io` when a file cannot be read, `.invalidArgument` when the lists hold more than
    ///   `maximumNames` names.
    public init(files: [String]) throws(CaptureError) {
        for path in files {
            let bytes = try Self.read(path)
            try merge(parsing: bytes, origin: path)
        }
    }

    /// Adds the entries of a list's text (`origin` names it in problems and errors).
    /// - Throws: `CaptureError` `.invalidArgument` when the lists hold more than `maximumNames` names.
    public mutating func merge(parsing text: String, origin: String) throws(CaptureError) {
        try merge(parsing: Array(text.utf8), origin: origin)
    }

    /// Adds the entries of a list's bytes (`origin` names it in problems and errors).
    public mutating func merge(parsing bytes: [UInt8], origin: String) throws(CaptureError) {
        var lineNumber = 0
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0a { end += 1 }
            lineNumber += 1
            if end > start || end < bytes.count {
                try take(bytes[start..<end], line: lineNumber, origin: origin)
            }
            start = end + 1
        }
    }

    /// One line: its domain entries are added; a line that holds none is reported.
    private mutating func take(_ raw: ArraySlice<UInt8>, line: Int, origin: String) throws(CaptureError) {
        guard raw.count <= Self.maximumLineBytes else {
            return skip(origin, line, "longer than \(Self.maximumLineBytes) bytes")
        }
        var content = raw
        if let hash = content.firstIndex(of: UInt8(ascii: "#")) {
            // `example.net##.ad` (and `#@#`, `#?#`) is an Adblock element rule, not a name with a comment.
            if hash > content.startIndex, ![0x20, 0x09].contains(content[hash - 1]) {
                return skip(origin, line, "an Adblock element rule, not a domain")
            }
            content = content[..<hash]
        }
        let tokens = content.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0d })
        guard let first = tokens.first else { return }
        if first.first == UInt8(ascii: "!") || first.first == UInt8(ascii: "[") { return }
        let entries: [ArraySlice<UInt8>]
        if first.starts(with: "||".utf8) {
            guard tokens.count == 1 else { return skip(origin, line, "an Adblock rule with spaces") }
            var rule = first.dropFirst(2)
            if let options = rule.firstIndex(of: UInt8(ascii: "$")) { rule = rule[..<options] }
            guard rule.last == UInt8(ascii: "^") else {
                return skip(origin, line, "an Adblock rule for more than a domain (it must end in ^)")
            }
            entries = [rule.dropLast()]
        } else if Self.isAddress(first) {
            guard tokens.count > 1 else { return skip(origin, line, "a hosts-file line without a name") }
            entries = tokens.dropFirst().filter { !Self.hostsFileNoise.contains(String(decoding: $0, as: UTF8.self)) }
            if entries.isEmpty { return }
        } else {
            guard tokens.count == 1 else {
                return skip(origin, line, "\"\(String(decoding: content, as: UTF8.self))\" is not one domain name")
            }
            entries = [first]
        }
        for entry in entries {
            let text = String(decoding: entry, as: UTF8.self)
            if let problem = Self.problem(with: text) {
                skip(origin, line, "\"\(text)\" is not a pool domain: \(problem)")
                continue
            }
            guard names.count < Self.maximumNames else {
                throw CaptureError(.invalidArgument, "\(origin):\(line): more than \(Self.maximumNames) pool domains in "
                                   + "all; split the list or keep the names that matter")
            }
            append(text)
        }
    }

    private mutating func skip(_ origin: String, _ line: Int, _ reason: String) {
        skippedLines += 1
        if problems.count < Self.reportedProblems { problems.append(Problem(file: origin, line: line, reason: reason)) }
    }

    private mutating func append(_ entry: String) {
        var name = entry.lowercased()
        if name.hasPrefix("*.") { name.removeFirst(2) }
        while name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty else { return }
        guard known.insert(name).inserted else {
            duplicates += 1
            return
        }
        names.append(name)
    }

    /// Names hosts files carry for the machine itself, never a pool.
    private static let hostsFileNoise: Set<String> = [
        "localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost", "ip6-loopback",
        "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters", "0.0.0.0",
    ]

    /// Whether a token is an IPv4 or IPv6 address (a hosts-file line's first field).
    private static func isAddress(_ token: ArraySlice<UInt8>) -> Bool {
        HostAddress(String(decoding: token, as: UTF8.self)) != nil
    }

    /// Why `entry` is not a domain name, or nil when it is one.
    static func problem(with entry: String) -> String? {
        var name = Substring(entry)
        if name.hasPrefix("*.") { name = name.dropFirst(2) }
        if name.hasSuffix(".") { name = name.dropLast() }
        guard name.utf8.count <= 253 else { return "longer than 253 characters" }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return "a single label would match a whole top-level domain" }
        // A hosts-file line's second address, or `||192.0.2.1^`: names in DNS and SNI are matched, never addresses.
        guard HostAddress(String(name)) == nil else { return "an IP address, not a domain name" }
        // Nor is any top-level domain all digits: `10.1.2` or `0.0.00` is a mistyped address, whatever line it is on.
        if let top = labels.last, !top.isEmpty, top.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            return "a numeric top-level label: an address, not a domain name"
        }
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

    private static func read(_ path: String) throws(CaptureError) -> [UInt8] {
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
        return bytes
    }
}
