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
    private let reload: @Sendable () -> Result<String, Error>
    private let history: @Sendable (Date) throws -> [AlertRecord]

    /// - Parameters:
    ///   - reload: reloads the model; returns the model now in use or the refusal.
    ///   - history: the alerts raised since a time, from the alert store (they outlive restarts).
    public init(engine: SensorEngine, logger: Logger, reload: @escaping @Sendable () -> Result<String, Error>,
                history: @escaping @Sendable (Date) throws -> [AlertRecord]) {
        self.engine = engine
        self.logger = logger
        self.reload = reload
        self.history = history
    }

    /// Every command the socket understands, for `help` replies and errors.
    public static let commands = ["status", "hosts", "host", "alerts", "stats", "model", "reload", "pause", "resume",
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
        case "alerts": return alerts(since: request["since"])
        case "stats": return stats()
        case "model": return model()
        case "reload":
            logger.notice("control: reload", metadata: ["peer": "\(peer)"])
            switch reload() {
            case .success(let model): return ControlProtocol.ok(["model": .string(model)])
            case .failure(let error): return ControlProtocol.failure("reload refused, the running model stays: \(error)")
            }
        case "pause", "resume":
            logger.notice("control: \(command)", metadata: ["peer": "\(peer)"])
            engine.setPaused(command == "pause")
            return ControlProtocol.ok(["paused": .bool(command == "pause")])
        case "block", "unblock", "allow", "disallow":
            return inline(command, request, peer: peer)
        case "allowlist": return allowlist()
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
            return ControlProtocol.ok(["host": .string(host.description), "done": .string(command),
                                       "detail": .string(detail), "requested_by": .string(requester)])
        case .failure(let refusal):
            return ControlProtocol.failure(refusal.description)
        }
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

    /// `class` is the host's traffic class from the model's class vote (null without a class block or before the
    /// vote's minimum of windows), with `class_is_mining` and `class_share` (the class's share of the voted windows).
    private static func hostSummary(_ status: HostStatus, classes: MultiClassModel?) -> JSONValue {
        let trafficClass = classes.flatMap { classes in status.trafficClass.map { (classes, $0) } }
        return [
            "host": .string(status.host.description),
            "verdict": .string(status.level?.rawValue ?? status.verdict.state.rawValue),
            "level": status.level.map { .string($0.rawValue) } ?? .null,
            "rule": .string(status.fused.rule.rawValue),
            "vote": .string(status.verdict.state.rawValue),
            "score": .number(status.verdict.score),
            "windows": .number(Double(status.verdict.windows)),
            "class": trafficClass.map { .string($0.0.names[$0.1.index]) } ?? .null,
            "class_is_mining": trafficClass.map { .bool($0.0.isMining[$0.1.index]) } ?? .null,
            "class_share": trafficClass.map { .number($0.1.share) } ?? .null,
            "bytes_received": .number(Double(status.totals.bytesReceived)),
            "bytes_sent": .number(Double(status.totals.bytesSent)),
        ]
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
        let classes = snapshot.model.classifier
        return ControlProtocol.ok(["hosts": .array(ordered.prefix(max(0, top)).map {
            Self.hostSummary($0, classes: classes)
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
        guard case .object(var fields) = Self.hostSummary(status, classes: snapshot.model.classifier) else { return ControlProtocol.failure("internal") }
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

    private func alerts(since: JSONValue?) -> JSONValue {
        var cutoff = Date.distantPast
        if let since {
            if let seconds = since.number {
                cutoff = Date(timeIntervalSince1970: seconds)
            } else if let text = since.string, let date = try? Date(text, strategy: .iso8601) {
                cutoff = date
            } else {
                return ControlProtocol.failure("\"since\" is seconds since 1970 or an RFC 3339 time")
            }
        }
        do {
            let encoded = try JSONValue(encoding: try history(cutoff))
            return ControlProtocol.ok(["alerts": encoded])
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
