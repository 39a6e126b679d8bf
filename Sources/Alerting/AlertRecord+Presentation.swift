import Foundation

extension AlertRecord.Event {
    /// Syslog severity (RFC 5424 §6.2.1), also journald's `PRIORITY`: 4 (warning) for a host that is or stays mining
    /// or is blocked, 5 (notice) for a clearing, an unblocking or a watch-list change.
    public var severity: Int {
        switch self {
        case .mining, .reminder, .blocked: 4
        case .cleared, .unblocked, .watchlist: 5
        }
    }

    /// The journald `MESSAGE_ID` of this kind of event: a fixed 128-bit id (sd-id128, 32 lowercase hex digits),
    /// generated once and never changed, so `journalctl MESSAGE_ID=…` finds every event of the kind across versions.
    ///
    /// | event | MESSAGE_ID |
    /// | --- | --- |
    /// | mining | 3c0db4e306a745df8fa6abc95f48d5b2 |
    /// | cleared | 9a1f5128d00b4961980cccb73bb5a52a |
    /// | reminder | f9b190b8835440a1a70b8776e55c0845 |
    /// | blocked | ef39bdb5eac74ecca2db0ed1b904f18c |
    /// | unblocked | c72942b123c048b2a8d96c6fbc5b7447 |
    /// | watchlist | e54c16918e0c4a5c848c092b6ea69b25 |
    public var messageID: String {
        switch self {
        case .mining: "3c0db4e306a745df8fa6abc95f48d5b2"
        case .cleared: "9a1f5128d00b4961980cccb73bb5a52a"
        case .reminder: "f9b190b8835440a1a70b8776e55c0845"
        case .blocked: "ef39bdb5eac74ecca2db0ed1b904f18c"
        case .unblocked: "c72942b123c048b2a8d96c6fbc5b7447"
        case .watchlist: "e54c16918e0c4a5c848c092b6ea69b25"
        }
    }
}

extension AlertRecord {
    /// A one-line human message: what happened to which host, with the score and the vote.
    public var summary: String {
        let vote = "score \(Self.formatScore(score)) over \(windows) windows, model \(model)"
        return switch event {
        case .mining: "host \(host) is mining cryptocurrency (\(vote))"
        case .cleared: "host \(host) is no longer mining (\(vote))"
        case .reminder: "host \(host) is still mining (\(vote))"
        case .blocked: "host \(host) mining flows are dropped (\(vote))"
        case .unblocked: "host \(host) mining flows are no longer dropped"
        case .watchlist: "watched address \(host) is \(verdict) (confidence \(Self.formatScore(score)))"
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
