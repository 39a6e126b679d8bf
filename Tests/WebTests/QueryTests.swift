import Control
import Foundation
import Testing
import Web

/// Paging, sorting and filtering of hosts, and grouping of alerts, as the API does them.
@Suite struct QueryTests {
    static func host(_ address: String, level: String?, score: Double, bytes: UInt64, windows: Int = 3) -> HostSummary {
        HostSummary(host: address, verdict: level == "mining" ? "mining" : "normal", level: level, rule: "vote",
                    vote: "", score: score, windows: windows, trafficClass: nil, classTrace: nil, classIsMining: nil,
                    classShare: nil, bytesReceived: bytes, bytesSent: 0, benign: nil, suppressedAlerts: 0)
    }

    /// In the daemon's order: mining first, then suspect, then the rest.
    static let hosts = [
        host("10.0.0.1", level: "mining", score: 0.9, bytes: 100),
        host("10.0.0.2", level: "suspect", score: 0.7, bytes: 5000),
        host("10.0.0.3", level: nil, score: 0.7, bytes: 300),
        host("10.0.0.4", level: nil, score: 0.1, bytes: 40, windows: 9),
    ]

    /// The page the API answers for `parameters`, the daemon selecting from `hosts` as it does.
    static func page(_ parameters: [String: String]) throws -> HostPage {
        let query = try HostQuery(parameters: parameters)
        return query.page(query.request.select(fromRanked: hosts))
    }

    @Test func filtersSortsAndPages() throws {
        let all = try Self.page([:])
        #expect(all.total == 4 && all.hosts.map(\.host) == Self.hosts.map(\.host))
        let neither = try Self.page(["level": "none"])
        #expect(neither.hosts.map(\.host) == ["10.0.0.3", "10.0.0.4"])
        let scored = try Self.page(["min_score": "0.7", "sort": "score", "order": "asc"])
        #expect(scored.hosts.map(\.host) == ["10.0.0.2", "10.0.0.3", "10.0.0.1"], "ties keep the daemon's order")
        let busiest = try Self.page(["sort": "bytes", "limit": "2", "offset": "1"])
        #expect(busiest.total == 4 && busiest.hosts.map(\.host) == ["10.0.0.3", "10.0.0.1"])
        let byWindows = try Self.page(["sort": "windows"])
        #expect(byWindows.hosts.first?.host == "10.0.0.4")
    }

    @Test func badParametersAreNamed() {
        for (name, value, words) in [("level", "high", "level is mining, suspect or none"),
                                     ("limit", "0", "limit is a whole number from 1 to 500"),
                                     ("limit", "501", "limit is a whole number from 1 to 500"),
                                     ("sort", "colour", "sort is one of rank, score, host, bytes, windows"),
                                     ("order", "up", "order is asc or desc"), ("min_score", "x", "min_score is a number")] {
            #expect(throws: APIError.self) { try HostQuery(parameters: [name: value]) }
            do {
                _ = try HostQuery(parameters: [name: value])
            } catch {
                #expect(error.message.hasPrefix(words), "\(name)=\(value): \(error.message)")
                #expect(error.status == .badRequest)
            }
        }
        #expect { try AlertQuery(parameters: ["since": "yesterday"]) } throws: {
            ($0 as? APIError)?.message.hasPrefix("since is an RFC 3339 time") == true
        }
        #expect { try AlertQuery(parameters: ["group": "host"]) } throws: {
            ($0 as? APIError)?.message == "group is host-rule, not 'host'"
        }
    }

    /// Every filter goes to the daemon, whose store applies it (and groups) in its query.
    @Test func alertFiltersAndGroupingGoToTheDaemon() throws {
        let query = try AlertQuery(parameters: ["rule": "stratum", "until": "2026-12-05T10:05:00Z", "host": "::1",
                                                "level": "mining", "event": "reminder", "limit": "7"])
        let request = query.request
        #expect(request.rule == "stratum" && request.host == "::1" && request.level == "mining"
                && request.event == "reminder" && request.limit == 7)
        #expect(request.until == .seconds(1_796_465_100))
        #expect(request.since == nil)
        #expect(!query.grouped)
        let grouped = try AlertQuery(parameters: ["group": "host-rule", "limit": "3"])
        #expect(grouped.grouped && grouped.groupsRequest.filter.limit == 3)
        #expect(throws: APIError.self) { try AlertQuery(parameters: ["host": "10.0.0.300"]) }
        #expect(throws: APIError.self) { try AlertQuery(parameters: ["group": "host"]) }
    }
}

/// CoinSentry's behaviour classes folded into Kriptosare's six.
@Suite struct KriptosareClassTests {
    /// RFC 3339 allows any offset hour (00 to 23) and fractional seconds; Foundation's style alone refuses offsets
    /// beyond ±18:00.
    @Test func timesTakeEveryRFC3339Offset() throws {
        #expect(try AlertQuery(parameters: ["until": "2026-12-06T00:14:22+23:49"]).until
                == Date(timeIntervalSince1970: 1_796_516_062 - 23 * 3600 - 49 * 60))
        #expect(try AlertQuery(parameters: ["since": "2026-12-06T00:14:22.5Z"]).since
                == Date(timeIntervalSince1970: 1_796_516_062.5))
        #expect(try AlertQuery(parameters: ["since": "1796516062"]).since == Date(timeIntervalSince1970: 1_796_516_062))
    }

    @Test func classesFoldIntoKriptosaresSix() {
        let six = KriptosareClasses.probabilities([
            "exchange": 0.1, "gambling": 0.05, "mining_pool": 0.3, "mixer": 0.05, "service": 0.1,
            "automated_payouts": 0.2, "wallet": 0.2,
        ])
        #expect(Set(six.keys) == Set(KriptosareClasses.names))
        #expect(six["miner"] == 0.3 && six["market"] == 0)
        #expect(abs((six["service"] ?? 0) - 0.3) < 1e-12, "payout services count as services")
        #expect(abs(six.values.reduce(0, +) - 0.8) < 1e-12, "the wallet's share is left out")
    }
}
