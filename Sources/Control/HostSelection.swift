/// The orders a host list can be sorted in.
public enum HostOrder: String, Codable, CaseIterable, Sendable {
    /// The daemon's own order: *mining*, then *suspect*, then the rest, each by the vote's score and traffic.
    case rank
    case score, host, bytes, windows
}

extension SensorRequest.Hosts {
    /// The hosts the request asks for, from `ranked` (every host, in the daemon's rank order): filtered by level and
    /// score, sorted (ties keep the rank order), and the page from `offset`, at most `top` (default 20) of them.
    public func select(fromRanked ranked: [HostSummary]) -> HostList {
        let kept = ranked.enumerated().filter { _, host in
            let levelMatches = switch level {
            case nil: true
            case "none": host.level == nil
            case let wanted?: host.level == wanted
            }
            guard levelMatches else { return false }
            return minScore.map { host.score >= $0 } ?? true
        }
        let descending = !(ascending ?? false)
        func ordered<Key: Comparable>(by key: (HostSummary) -> Key) -> [(offset: Int, element: HostSummary)] {
            kept.sorted { left, right in
                let (a, b) = (key(left.element), key(right.element))
                if a != b { return descending ? a > b : a < b }
                return left.offset < right.offset
            }
        }
        let sorted = switch sort ?? .rank {
        case .rank: descending ? kept : kept.reversed()
        case .score: ordered { $0.score }
        case .host: ordered { $0.host }
        case .bytes: ordered { $0.bytesReceived + $0.bytesSent }
        case .windows: ordered { $0.windows }
        }
        let start = max(0, offset ?? 0)
        let page = sorted.dropFirst(start).prefix(max(0, top ?? 20)).map(\.element)
        return HostList(hosts: Array(page), total: kept.count, offset: start)
    }
}
