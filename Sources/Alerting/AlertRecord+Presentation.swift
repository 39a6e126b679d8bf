import Foundation

extension AlertRecord.Event {
    /// Syslog severity (RFC 5424 §6.2.1), also journald's `PRIORITY`: 4 (warning) for a host that is or stays mining
    /// or is blocked and for a refused fleet model, 5 (notice) for a suspect, a clearing, an unblocking, a watch-list
    /// change or an audit. A reminder of a suspect episode is a notice too (``AlertRecord/severity``).
    public var severity: Int {
        switch self {
        case .mining, .reminder, .blocked, .fleetRefused: 4
        case .suspect, .cleared, .unblocked, .watchlist, .audit: 5
        }
    }

    /// The journald `MESSAGE_ID` of this kind of event: a fixed 128-bit id (sd-id128, 32 lowercase hex digits),
    /// generated once and never changed, so `journalctl MESSAGE_ID=…` finds every event of the kind across versions.
    ///
    /// | event | MESSAGE_ID |
    /// | --- | --- |
    /// | mining | 3c0db4e306a745df8fa6abc95f48d5b2 |
    /// | suspect | 6d2e0b7f1c8a4e5f9b3d27a1c4e8f605 |
    /// | cleared | 9a1f5128d00b4961980cccb73bb5a52a |
    /// | reminder | f9b190b8835440a1a70b8776e55c0845 |
    /// | blocked | ef39bdb5eac74ecca2db0ed1b904f18c |
    /// | unblocked | c72942b123c048b2a8d96c6fbc5b7447 |
    /// | watchlist | e54c16918e0c4a5c848c092b6ea69b25 |
    /// | audit | 0b8f5e2c7d1a4c39a6e4f17d2b9c8e31 |
    /// | fleet-refused | f796f609e22a4f97b93dac4f465c50e8 |
    public var messageID: String {
        switch self {
        case .mining: "3c0db4e306a745df8fa6abc95f48d5b2"
        case .suspect: "6d2e0b7f1c8a4e5f9b3d27a1c4e8f605"
        case .cleared: "9a1f5128d00b4961980cccb73bb5a52a"
        case .reminder: "f9b190b8835440a1a70b8776e55c0845"
        case .blocked: "ef39bdb5eac74ecca2db0ed1b904f18c"
        case .unblocked: "c72942b123c048b2a8d96c6fbc5b7447"
        case .watchlist: "e54c16918e0c4a5c848c092b6ea69b25"
        case .audit: "0b8f5e2c7d1a4c39a6e4f17d2b9c8e31"
        case .fleetRefused: "f796f609e22a4f97b93dac4f465c50e8"
        }
    }
}

extension AlertRecord {
    /// The record's syslog severity and journald `PRIORITY`: its event's, except that a reminder of a *suspect*
    /// episode is a notice (5) like the suspect itself.
    public var severity: Int {
        event == .reminder && level == .suspect ? 5 : event.severity
    }

    /// A one-line human message: what happened to which host, on what evidence, by which rule, and what to do.
    public var summary: String {
        let rule = rule.map { ", rule \($0)" } ?? ""
        return switch event {
        case .mining:
            "host \(host) is mining cryptocurrency: \(grounds)\(rule). Find and stop the miner on the host"
                + (poolEndpoint.map { "; its pool is \($0)" } ?? "")
        case .suspect:
            "host \(host) may be mining (suspect): \(grounds)\(rule); no clear-text protocol or confirmed pool yet. "
                + "Check the host's processes and CPU use"
        case .cleared:
            "host \(host) is no longer \(level == .suspect ? "suspect" : "mining")"
                + (reason.map { " (\(Self.describe(reason: $0)))" } ?? "")
        case .reminder:
            "host \(host) is still \(level == .suspect ? "suspect" : "mining"): \(grounds)\(rule)"
        case .blocked: "host \(host) mining flows are dropped (\(grounds))"
        case .unblocked: "host \(host) mining flows are no longer dropped"
        case .watchlist: "watched address \(host) is \(verdict) (confidence \(Self.formatScore(score)))"
        case .audit: "operator \(requestedBy ?? "unknown") asked to \(verdict)" + (reason.map { ": \($0)" } ?? "")
        case .fleetRefused:
            "fleet learning: the \(evidence.first { $0.kind == "fleet" }?.name ?? "?") global model \(model) was "
                + "refused and not installed (\(reason ?? "worse on the held-back data")); the model in use stays. Look for "
                + "poisoned updates in that round (coinsentryctl fleet status)"
        }
    }

    /// The strongest evidence in words: a stratum session, a pool name with its connection, a pool-shaped flow, or
    /// the statistics.
    var grounds: String {
        var parts = [String]()
        for item in evidence where item.kind == "stratum" {
            parts.append("stratum session to \(item.remote ?? "?")"
                         + (item.worker.map { ", worker \($0)" } ?? "")
                         + (item.dialect.map { ", \($0) dialect" } ?? ""))
        }
        for item in evidence where item.kind == "pool-name" {
            let seen = item.source == "sni" ? "TLS SNI" : "DNS"
            parts.append("pool name \(item.name ?? "?") in \(seen)"
                         + (item.remote.map { ", connection to \($0)" } ?? ""))
        }
        for item in evidence where item.kind == "pool-shape" {
            parts.append("session to \(item.remote ?? "?") shaped like a pool ("
                         + "\(String(format: "%.2f", item.score ?? 0)))")
        }
        if parts.isEmpty || rule == "strong-evidence-and-vote" || rule == "vote" {
            parts.append("traffic statistics like a miner's (vote \(String(format: "%.2f", score)) over \(windows) "
                         + "windows, model \(model))")
        }
        return parts.joined(separator: " and ")
    }

    /// The pool endpoint the evidence names first, if any.
    var poolEndpoint: String? {
        evidence.first { ["stratum", "pool-name", "pool-shape"].contains($0.kind) && $0.remote != nil }?.remote
    }

    static func describe(reason: String) -> String {
        switch reason {
        case "host-quiet": "the host fell silent"
        case "evidence-expired": "its evidence expired"
        case "vote-fell": "the statistical vote fell"
        case "closed-by-operator": "closed by an operator"
        default: reason
        }
    }

    /// The evidence as a compact JSON array with sorted keys (the same text in every sink).
    public var evidenceJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(evidence) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A score with at most four decimals, as every sink prints it.
    static func formatScore(_ score: Double) -> String {
        String(format: "%.4f", score)
    }

    /// The time in RFC 3339 with microseconds in UTC, as `2026-05-01T12:00:00.123456Z`.
    public var rfc3339Time: String { RFC3339.format(time) }
}

/// RFC 3339 timestamps with microseconds, in UTC.
public enum RFC3339 {
    /// Formats a date as `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    public static func format(_ date: Date) -> String {
        let totalMicroseconds = (date.timeIntervalSince1970 * 1_000_000).rounded(.down)
        let seconds = Int((totalMicroseconds / 1_000_000).rounded(.down))
        let micros = Int(totalMicroseconds) - seconds * 1_000_000
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), micros)
    }
}
