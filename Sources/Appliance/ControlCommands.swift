import Alerting
import Capture
import Control
import Detection
import Foundation
import Logging
import Sensor

/// The daemon's answers to control requests (`{"cmd": …}`), over the engine's state.
public struct ControlCommands: Sendable {
    private let engine: SensorEngine
    private let logger: Logger
    private let reload: @Sendable (String) -> Result<ReloadReport, Error>
    private let store: AlertStore

    /// - Parameters:
    ///   - reload: reloads configuration, lists and models for the operator it names (`SensorReload.perform`).
    ///   - store: the alert store (alerts outlive restarts; acknowledgements and closings are kept there).
    public init(engine: SensorEngine, logger: Logger,
                reload: @escaping @Sendable (String) -> Result<ReloadReport, Error>,
                store: AlertStore) {
        self.engine = engine
        self.logger = logger
        self.reload = reload
        self.store = store
    }

    /// Every command the socket understands, for `help` replies and errors.
    public static let commands = ["status", "hosts", "host", "alerts", "stats", "model", "reload", "pause", "resume",
                                  "ack", "close", "benign", "unbenign", "benign-list",
                                  "block", "unblock", "allow", "disallow", "allowlist"]

    /// Answers one request from `peer`.
    public func handle(_ request: JSONValue, peer: PeerCredentials) -> JSONValue {
        guard let command = request["cmd"]?.string else {
            return ControlProtocol.failure("missing \"cmd\"; commands: \(Self.commands.joined(separator: ", "))")
        }
        switch command {
        case "status": return status()
        case "hosts":
            return hosts(top: request["top"]?.number.map { Int($0) } ?? 20, level: request["level"]?.string)
        case "host": return host(request["host"]?.string)
        case "alerts": return alerts(request)
        case "stats": return stats()
        case "model": return model()
        case "reload":
            switch reload(Self.requester(peer)) {
            case .success(let report):
                return ControlProtocol.ok([
                    "model": .string(report.model), "model_changed": .bool(report.modelChanged),
                    "applied": .array(report.applied.map { .string($0) }),
                    "pending_restart": .array(report.pending.map { .string($0) }),
                    "pool_domains": .number(Double(report.poolDomains)),
                    "list_lines_skipped": .number(Double(report.skippedListLines)),
                    "list_problems": .array(report.listProblems.map { .string($0) }),
                    "summary": .string(report.summary),
                ])
            case .failure(let error):
                return ControlProtocol.failure("reload refused; the running configuration and models stay: \(error)")
            }
        case "pause", "resume":
            let requester = Self.requester(peer)
            logger.notice("control: \(command)", metadata: ["peer": "\(requester)"])
            if engine.setPaused(command == "pause") { engine.audit(command, requestedBy: requester) }
            return ControlProtocol.ok(["paused": .bool(command == "pause")])
        case "block", "unblock", "allow", "disallow":
            return inline(command, request, peer: peer)
        case "allowlist": return allowlist()
        case "ack", "close": return feedback(command, request, peer: peer)
        case "benign": return benign(request, peer: peer)
        case "unbenign":
            guard let target = request["target"]?.string else {
                return ControlProtocol.failure("give the target as {\"cmd\": \"unbenign\", \"target\": \"10.0.0.5\"}")
            }
            guard engine.removeBenign(target: target) else { return ControlProtocol.failure("\(target) is not marked benign") }
            logger.notice("control: unbenign \(target)", metadata: ["peer": "\(Self.requester(peer))"])
            return ControlProtocol.ok(["target": .string(target), "done": .string("unbenign")])
        case "benign-list":
            let now = Date()
            let snapshot = engine.snapshot()
            return ControlProtocol.ok(["benign": .array(snapshot.benign.values.sorted { $0.target < $1.target }.map { mark in
                ["target": .string(mark.target), "reason": .string(mark.reason),
                 "requested_by": .string(mark.requestedBy), "since": .string(RFC3339.format(mark.since)),
                 "until": mark.until.map { .string(RFC3339.format($0)) } ?? .null, "holds": .bool(mark.holds(at: now)),
                 "suppressed": HostAddress(mark.target).map { .number(Double(snapshot.suppressed[$0] ?? 0)) } ?? .null]
            })])
        default:
            return ControlProtocol.failure("unknown command '\(command)'; commands: \(Self.commands.joined(separator: ", "))")
        }
    }

    /// `block` (`"all": true` for all traffic), `unblock`, `allow`, `disallow`; each logged with the peer.
    private func inline(_ command: String, _ request: JSONValue, peer: PeerCredentials) -> JSONValue {
        guard let text = request["host"]?.string, let host = HostAddress(text) else {
            return ControlProtocol.failure("give the host as {\"cmd\": \"\(command)\", \"host\": \"10.0.0.5\"}")
        }
        let all = request["all"]?.bool ?? false
        let action: SensorEngine.InlineRequest = switch command {
        case "block": .block(host, all: all)
        case "unblock": .unblock(host)
        case "allow": .allow(host)
        default: .disallow(host)
        }
        let requester = Self.requester(peer)
        logger.notice("control: \(command) \(host)", metadata: ["peer": "\(requester)"])
        switch engine.perform(action, requestedBy: requester) {
        case .success(let detail):
            var reply: [String: JSONValue] = ["host": .string(host.description), "done": .string(command),
                                              "detail": .string(detail), "requested_by": .string(requester)]
            if !engine.isInline {
                reply["note"] = .string("no effect outside inline mode (no [inline] queue): nothing is blocked here; "
                                        + "to stop alerts for a host, mark it benign (coinsentryctl benign)")
            }
            return ControlProtocol.ok(reply)
        case .failure(let refusal):
            return ControlProtocol.failure(refusal.description)
        }
    }

    /// `ack` (seen) or `close` an alert by id, with the operator's credentials; closing a host's open alert ends its
    /// episode (a `cleared` alert, reason `closed-by-operator`).
    private func feedback(_ command: String, _ request: JSONValue, peer: PeerCredentials) -> JSONValue {
        guard let number = request["id"]?.number, let id = Int64(exactly: number.rounded()) else {
            return ControlProtocol.failure("give the alert's id as {\"cmd\": \"\(command)\", \"id\": 12} "
                                           + "(coinsentryctl alerts shows ids)")
        }
        let requester = Self.requester(peer)
        do {
            let found = command == "ack" ? try store.acknowledge(id: id, by: requester)
                : try store.close(id: id, by: requester)
            guard let found else { return ControlProtocol.failure("there is no alert \(id)") }
            logger.notice("control: \(command) alert \(id)", metadata: ["peer": "\(requester)"])
            var ended = false
            if command == "close", let host = HostAddress(found.record.host),
               try store.openAlert(host: found.record.host)?.id == id {
                ended = engine.closeEpisode(host, requestedBy: requester)
            }
            return ControlProtocol.ok(["alert": try JSONValue(encoding: found), "episode_ended": .bool(ended)])
        } catch {
            return ControlProtocol.failure("cannot update the alert store: \(error)")
        }
    }

    /// `benign`: marks a host or remote endpoint benign for `seconds` (or for good) with a `reason`.
    private func benign(_ request: JSONValue, peer: PeerCredentials) -> JSONValue {
        guard let target = request["target"]?.string, Self.isTarget(target) else {
            return ControlProtocol.failure("give a host or remote endpoint as {\"cmd\": \"benign\", \"target\": "
                                           + "\"10.0.0.5\" or \"203.0.113.7:443\", \"reason\": \"...\"}")
        }
        guard let reason = request["reason"]?.string, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            return ControlProtocol.failure("say why \(target) is benign: \"reason\": \"...\"")
        }
        let seconds = request["seconds"]?.number
        if let seconds, !(seconds > 0) { return ControlProtocol.failure("\"seconds\" must be above 0") }
        let now = Date()
        let requester = Self.requester(peer)
        let mark = BenignMark(target: target, reason: reason, requestedBy: requester, since: now,
                              until: seconds.map { now.addingTimeInterval($0) })
        engine.markBenign(mark)
        logger.notice("control: benign \(target)", metadata: ["peer": "\(requester)", "reason": "\(reason)"])
        return ControlProtocol.ok(["target": .string(target), "reason": .string(reason),
                                   "until": mark.until.map { .string(RFC3339.format($0)) } ?? .null,
                                   "requested_by": .string(requester)])
    }

    /// A host address, or a remote endpoint `IP:PORT` (`[IPv6]:PORT`).
    static func isTarget(_ text: String) -> Bool {
        if HostAddress(text) != nil { return true }
        guard let colon = text.lastIndex(of: ":"), UInt16(text[text.index(after: colon)...]) != nil else { return false }
        var address = String(text[..<colon])
        if address.hasPrefix("["), address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
        return HostAddress(address) != nil
    }

    /// `uid=… gid=… pid=… (name)`: the peer's credentials and, when it can be read, its process name.
    static func requester(_ peer: PeerCredentials) -> String {
        let name = (try? String(contentsOfFile: "/proc/\(peer.pid)/comm", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return name.map { "\(peer) (\($0))" } ?? peer.description
    }

    private func allowlist() -> JSONValue {
        let snapshot = engine.snapshot()
        return ControlProtocol.ok([
            "allowlist": .array(snapshot.allowlist.map {
                ["host": .string($0.host), "requested_by": .string($0.requestedBy),
                 "since": .string(RFC3339.format($0.since))]
            }),
            "blocks": .array(snapshot.blocks.map(Self.blockSummary)),
        ])
    }

    static func blockSummary(_ block: InlineBlock) -> JSONValue {
        [
            "host": .string(block.host), "scope": .string(block.scope.rawValue),
            "remotes": .array(block.remotes.map { .string($0) }), "origin": .string(block.origin.rawValue),
            "requested_by": .string(block.requestedBy), "since": .string(RFC3339.format(block.since)),
        ]
    }

    private func status() -> JSONValue {
        let snapshot = engine.snapshot()
        let mining = snapshot.hosts.filter { $0.isMining }.count
        let suspect = snapshot.hosts.filter { $0.level == .suspect }.count
        return ControlProtocol.ok([
            "sensor": .string(snapshot.configuration.sensorID),
            "version": .string(CoinSentryVersion.current),
            "uptime_s": .number(Date().timeIntervalSince(engine.startedAt).rounded()),
            "paused": .bool(snapshot.paused),
            "interfaces": .array(snapshot.interfaces.map { .string($0.name) }),
            "hosts": .number(Double(snapshot.hosts.count)),
            "mining_hosts": .number(Double(mining)),
            "suspect_hosts": .number(Double(suspect)),
            "open_alerts": .number(Double(snapshot.episodes.count)),
            "packets_per_second": .number(snapshot.interfaces.reduce(0) { $0 + $1.packetsPerSecond }.rounded()),
            "model": .string(snapshot.model.file.id),
            "inline": snapshot.configuration.inlineQueue.map { queue in
                ["queue": .number(Double(queue)), "policy": .string(snapshot.configuration.inlinePolicy.rawValue),
                 "blocked_hosts": .number(Double(snapshot.blocks.count))]
            } ?? .null,
        ])
    }

    /// `class` is the host's traffic class from the model's class vote in words an operator knows (`CPU mining`,
    /// `video streaming`, `VPN`, ...; `class_trace` is the training trace it is named after), with `class_is_mining`
    /// and `class_share` (the class's share of the voted windows). It is null without a class block, before the
    /// vote's minimum of windows, and when it disagrees with the verdict (a mining class for a host no rule holds
    /// for, or an ordinary class for a host whose verdict is *mining*): the verdict is what counts.
    private static func hostSummary(_ status: HostStatus, classes: MultiClassModel?) -> JSONValue {
        var trafficClass = classes.flatMap { classes in status.trafficClass.map { (classes, $0) } }
        if let (model, found) = trafficClass {
            let classMining = model.isMining[found.index]
            if classMining != (status.level != nil) && (classMining || status.level == .mining) { trafficClass = nil }
        }
        return [
            "host": .string(status.host.description),
            "verdict": .string(status.fused.state.rawValue),
            "level": status.level.map { .string($0.rawValue) } ?? .null,
            "rule": .string(status.fused.rule.rawValue),
            "vote": .string(status.verdict.state.rawValue),
            "score": .number(status.verdict.score),
            "windows": .number(Double(status.verdict.windows)),
            "class": trafficClass.map { .string(TrafficClassName.operatorName($0.0.names[$0.1.index])) } ?? .null,
            "class_trace": trafficClass.map { .string($0.0.names[$0.1.index]) } ?? .null,
            "class_is_mining": trafficClass.map { .bool($0.0.isMining[$0.1.index]) } ?? .null,
            "class_share": trafficClass.map { .number($0.1.share) } ?? .null,
            "bytes_received": .number(Double(status.totals.bytesReceived)),
            "bytes_sent": .number(Double(status.totals.bytesSent)),
        ]
    }

    /// A host summary with its benign mark (`benign`: the reason, or null) and the alerts it suppressed.
    private static func hostSummary(_ status: HostStatus, snapshot: SensorEngine.Snapshot) -> JSONValue {
        guard case .object(var fields) = hostSummary(status, classes: snapshot.model.classifier) else { return .null }
        let mark = snapshot.benign[status.host.description].flatMap { $0.holds(at: Date()) ? $0 : nil }
        fields["benign"] = mark.map { .string($0.reason) } ?? .null
        fields["suppressed_alerts"] = .number(Double(snapshot.suppressed[status.host] ?? 0))
        return .object(fields)
    }

    /// Hosts by level (*mining*, then *suspect*, then the rest), then by the vote's score and traffic.
    private func hosts(top: Int, level: String?) -> JSONValue {
        var wanted: VerdictFusion.Level?
        if let level {
            guard let known = VerdictFusion.Level(rawValue: level) else {
                return ControlProtocol.failure("\"level\" is mining or suspect, not \(level)")
            }
            wanted = known
        }
        let snapshot = engine.snapshot()
        let rank = { (status: HostStatus) -> Int in
            switch status.level {
            case .mining: 2
            case .suspect: 1
            case nil: 0
            }
        }
        let ordered = snapshot.hosts.filter { wanted == nil || $0.level == wanted }.sorted {
            (rank($0), $0.verdict.score, $0.totals.bytesReceived + $0.totals.bytesSent, $1.host)
                > (rank($1), $1.verdict.score, $1.totals.bytesReceived + $1.totals.bytesSent, $0.host)
        }
        return ControlProtocol.ok(["hosts": .array(ordered.prefix(max(0, top)).map {
            Self.hostSummary($0, snapshot: snapshot)
        })])
    }

    private func host(_ text: String?) -> JSONValue {
        guard let text, let address = HostAddress(text) else {
            return ControlProtocol.failure("give the host as {\"cmd\": \"host\", \"host\": \"10.0.0.5\"}")
        }
        let snapshot = engine.snapshot()
        guard let status = snapshot.hosts.first(where: { $0.host == address }) else {
            return ControlProtocol.failure("host \(text) is not tracked (no traffic seen recently)")
        }
        guard case .object(var fields) = Self.hostSummary(status, snapshot: snapshot) else {
            return ControlProtocol.failure("internal")
        }
        let fusion = VerdictFusion(settings: snapshot.configuration.fusion)
        fields["rules"] = .array(fusion.explain(vote: status.verdict, evidence: status.evidence.map(\.evidence),
                                                previous: status.fused).map {
            ["rule": .string($0.rule.rawValue), "level": $0.rule.level.map { .string($0.rawValue) } ?? .null,
             "holds": .bool($0.holds), "detail": .string($0.detail)]
        })
        fields["recent_decisions"] = .array(status.recentDecisions.map { .number($0) })
        fields["last_window_end"] = status.lastWindowEnd.map { .number(Double($0)) } ?? .null
        fields["packets_received"] = .number(Double(status.totals.packetsReceived))
        fields["packets_sent"] = .number(Double(status.totals.packetsSent))
        fields["busiest_remotes"] = .array(status.busiestRemotes.map {
            ["remote": .string($0.description), "transport": .string($0.transportName), "bytes": .number(Double($0.bytes))]
        })
        fields["open_alert"] = .bool(snapshot.episodes[status.host] != nil)
        let evidence = status.evidence.map { AlertRecord.Evidence($0.evidence) }
        fields["evidence"] = (try? JSONValue(encoding: evidence)) ?? .array([])
        fields["blocked"] = snapshot.blocks.first { $0.host == status.host.description }.map(Self.blockSummary) ?? .null
        let names = snapshot.model.file.features
        if status.lastFeatures.count == names.count {
            fields["features"] = .object(Dictionary(uniqueKeysWithValues: zip(names, status.lastFeatures.map {
                JSONValue.number($0.isFinite ? $0 : 0)
            })))
        }
        return ControlProtocol.ok(fields)
    }

    /// Alerts from the store, oldest first: `since` (seconds since 1970 or RFC 3339), and optionally only those of
    /// one `host`, `level` (`mining`, `suspect`) or `event`.
    private func alerts(_ request: JSONValue) -> JSONValue {
        var cutoff = Date.distantPast
        if let since = request["since"] {
            if let seconds = since.number {
                cutoff = Date(timeIntervalSince1970: seconds)
            } else if let text = since.string, let date = try? Date(text, strategy: .iso8601) {
                cutoff = date
            } else {
                return ControlProtocol.failure("\"since\" is seconds since 1970 or an RFC 3339 time")
            }
        }
        let host = request["host"]?.string
        var level: AlertRecord.Level?
        if let text = request["level"]?.string {
            guard let known = AlertRecord.Level(rawValue: text) else {
                return ControlProtocol.failure("\"level\" is mining or suspect, not \(text)")
            }
            level = known
        }
        var event: AlertRecord.Event?
        if let text = request["event"]?.string {
            guard let known = AlertRecord.Event(rawValue: text) else {
                return ControlProtocol.failure("\"event\" is one of "
                    + AlertRecord.Event.allCases.map(\.rawValue).joined(separator: ", ") + ", not \(text)")
            }
            event = known
        }
        do {
            let found = try store.alerts(since: cutoff).filter {
                (host == nil || $0.record.host == host) && (level == nil || $0.record.level == level)
                    && (event == nil || $0.record.event == event)
            }
            return ControlProtocol.ok(["alerts": try JSONValue(encoding: found)])
        } catch {
            return ControlProtocol.failure("cannot read the alert store: \(error)")
        }
    }

    private func stats() -> JSONValue {
        let snapshot = engine.snapshot()
        return ControlProtocol.ok([
            "verdicts": snapshot.verdicts.map { (try? JSONValue(encoding: $0)) ?? .null } ?? .null,
            "interfaces": .array(snapshot.interfaces.map { entry in
            let statistics = (try? JSONValue(encoding: entry.statistics)) ?? .null
            return [
                "interface": .string(entry.name),
                "packets_per_second": .number(entry.packetsPerSecond.rounded()),
                "bytes_per_second": .number(entry.bytesPerSecond.rounded()),
                "windows_decided": .number(Double(entry.windowsDecided)),
                "windows_below_floor": .number(Double(entry.windowsBelowFloor)),
                "counters": statistics,
            ]
        })])
    }

    private func model() -> JSONValue {
        let snapshot = engine.snapshot()
        let file = snapshot.model.file
        return ControlProtocol.ok([
            "path": .string(snapshot.modelPath),
            "id": .string(file.id),
            "created": .string(file.created),
            "interval_s": .number(file.windows.intervalSeconds),
            "windows_s": .array(file.windows.windowSeconds.map { .number($0) }),
            "slide_s": .number(file.windows.slideSeconds),
            "features": .number(Double(file.features.count)),
            "vote": (try? JSONValue(encoding: file.vote)) ?? .null,
            "metrics": (try? JSONValue(encoding: file.metrics)) ?? .null,
            "training": (try? JSONValue(encoding: file.training)) ?? .null,
        ])
    }
}
