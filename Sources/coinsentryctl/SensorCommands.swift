import ArgumentParser
import Control
import Foundation

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The sensor at a glance.")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard let status = try await connection.send(SensorRequest.Status()) else { return }
        let inline = status.inline.map { "queue \($0.queue), policy \($0.policy), \($0.blockedHosts) hosts blocked" }
        print(Cell.fields([
            "sensor": status.sensor, "version": status.version, "uptime_s": status.uptimeSeconds,
            "paused": status.paused, "interfaces": status.interfaces, "hosts": status.hosts,
            "mining_hosts": status.miningHosts, "suspect_hosts": status.suspectHosts, "open_alerts": status.openAlerts,
            "packets_per_second": status.packetsPerSecond, "model": status.model, "inline": inline,
        ]))
    }
}

struct Hosts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tracked hosts: mining first, then suspects, then the rest, each by the vote's score.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "How many hosts.") var top = 20
    @Option(help: "Only hosts at this level: mining or suspect.") var level: String?

    func validate() throws {
        if let level, !["mining", "suspect"].contains(level) {
            throw ValidationError("--level is mining or suspect, not \(level)")
        }
    }

    func run() async throws {
        guard let reply = try await connection.send(SensorRequest.Hosts(top: top, level: level)) else { return }
        let rows = reply.hosts.map { host in
            [host.host.cell, host.level.cell, host.rule.cell, host.score.cell, host.windows.cell,
             host.trafficClass.cell, host.bytesReceived.cell, host.bytesSent.cell]
        }
        print(TextTable.render(header: ["HOST", "LEVEL", "RULE", "SCORE", "WINDOWS", "CLASS", "BYTES RX", "BYTES TX"], rows: rows))
    }
}

struct Host: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One host: verdict, score, recent window decisions, busiest remote endpoints, traffic.",
        discussion: """
            The traffic table covers --span up to the host's latest traffic: by minute up to an hour, by ten
            minutes up to six hours, by hour up to a day.
            Examples:
              coinsentryctl host 10.0.0.5
              coinsentryctl host 10.0.0.5 --span 6h
              coinsentryctl host 10.0.0.5 --span 24h --json
            """)
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The host's IP address.") var address: String
    @Option(help: "The traffic series' span: 15m, 1h (the default), 6h, 24h, from 1m to 1d.") var span: String?

    func validate() throws {
        if let span, Span.seconds(span) == nil {
            throw ValidationError("--span \(span): give a span such as 15m, 1h, 6h or 24h")
        }
    }

    func run() async throws {
        let request = SensorRequest.Host(host: address, span: span.flatMap(Span.seconds).map { Int($0) })
        guard let detail = try await connection.send(request) else { return }
        let host = detail.summary
        print(Cell.fields([
            "host": host.host, "verdict": host.verdict, "level": host.level, "rule": host.rule,
            "benign": host.benign, "suppressed_alerts": host.suppressedAlerts, "vote": host.vote, "score": host.score,
            "windows": host.windows, "class": host.trafficClass, "open_alert": detail.openAlert,
            "bytes_received": host.bytesReceived, "bytes_sent": host.bytesSent,
            "packets_received": detail.packetsReceived, "packets_sent": detail.packetsSent,
            "last_window_end": detail.lastWindowEnd,
        ]))
        if let block = detail.blocked {
            print("blocked: \(block.scope) \(block.remotes.joined(separator: " ")) (by \(block.requestedBy))")
        }
        let evidence = detail.evidence.map { piece in
            [piece.kind.cell, piece.remote.cell, piece.dialect.cell, piece.worker.cell, piece.name.cell,
             piece.score.cell]
        }
        if !evidence.isEmpty {
            print(TextTable.render(header: ["EVIDENCE", "REMOTE", "DIALECT", "WORKER", "NAME", "SCORE"], rows: evidence))
        }
        let rules = detail.rules.map { [$0.rule, $0.level.cell, $0.holds ? "holds" : "-", $0.detail] }
        if !rules.isEmpty { print(TextTable.render(header: ["RULE", "LEVEL", "STATE", "WHAT IT SAW OR NEEDS"], rows: rules)) }
        print("recent decisions (newest last, + = mining): "
              + detail.recentDecisions.map { $0 > 0 ? "+" : "." }.joined())
        let remotes = detail.busiestRemotes.map { [$0.remote, $0.transport, $0.bytes.cell] }
        if !remotes.isEmpty { print(TextTable.render(header: ["REMOTE", "PROTO", "BYTES"], rows: remotes)) }
        let series = (detail.series ?? []).map { point in
            [Cell.localTime(Date(timeIntervalSince1970: point.start)), Int(point.seconds).cell, point.bytesReceived.cell, point.bytesSent.cell,
             point.packetsReceived.cell, point.packetsSent.cell]
        }
        if !series.isEmpty {
            print(TextTable.render(header: ["FROM", "SECONDS", "BYTES RX", "BYTES TX", "PACKETS RX", "PACKETS TX"],
                                   rows: series))
        }
    }
}

struct Alerts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Alerts raised, oldest first, with local times; or grouped by host and rule.",
        discussion: """
            Examples:
              coinsentryctl alerts --since 1h
              coinsentryctl alerts --since 2d --level mining
              coinsentryctl alerts --host 10.0.0.5 --event cleared --json
              coinsentryctl alerts --since 1w --until 1d --rule vote
              coinsentryctl alerts --since 1w --grouped
            """)
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Only alerts at or after this time: a span back from now (30m, 1h, 2d, 1w) or RFC 3339 (2026-11-23T08:00:00Z).")
    var since: String?
    @Option(help: "Only alerts at or before this time, given as --since is.") var until: String?
    @Option(help: "Only this host's alerts.") var host: String?
    @Option(help: "Only alerts of this level: mining or suspect.") var level: String?
    @Option(help: "Only alerts decided by this rule (stratum, pool-name, pool-shape, vote, ...).") var rule: String?
    @Option(help: "Only this event: mining, suspect, cleared, reminder, blocked, unblocked, audit.") var event: String?
    @Flag(help: "One line per host and rule: alerts, first and last seen, those neither acknowledged nor closed.")
    var grouped = false

    func validate() throws {
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, Self.start(value) == nil {
                throw ValidationError("\(name) \(value): give a span (30m, 1h, 2d, 1w) or an RFC 3339 time")
            }
        }
    }

    /// The time `text` names: now less a span (`90s`, `30m`, `1h`, `2d`, `1w`), or an RFC 3339 time.
    static func start(_ text: String, now: Date = Date()) -> Date? {
        if let seconds = Span.seconds(text) { return now.addingTimeInterval(-seconds) }
        return try? Date(text, strategy: .iso8601)
    }

    func run() async throws {
        func time(_ text: String?) -> TimeValue? {
            text.flatMap { Self.start($0) }.map { .seconds($0.timeIntervalSince1970) }
        }
        let request = SensorRequest.Alerts(since: time(since), until: time(until), host: host, level: level,
                                           rule: rule, event: event)
        if grouped {
            guard let reply = try await connection.send(SensorRequest.AlertGroups(request)) else { return }
            let rows = reply.groups.map { group in
                [group.host, group.rule.cell, group.level.cell, group.count.cell, Cell.localTime(group.firstSeen),
                 Cell.localTime(group.lastSeen), group.latestEvent, group.unhandled.cell]
            }
            print(TextTable.render(header: ["HOST", "RULE", "LEVEL", "ALERTS", "FIRST", "LAST", "LATEST", "UNHANDLED"],
                                   rows: rows))
            return
        }
        guard let reply = try await connection.send(request) else { return }
        let rows = reply.alerts.map { alert in
            [Cell.localTime(alert.time), alert.event, alert.level.cell, alert.host, alert.rule.cell, alert.score.cell,
             alert.windows.cell, alert.action, alert.reason.cell]
        }
        print(TextTable.render(header: ["TIME", "EVENT", "LEVEL", "HOST", "RULE", "SCORE", "WINDOWS", "ACTION", "REASON"], rows: rows))
    }
}

struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Packets and bytes per second, drops by cause, ring overflow, hosts tracked and expired.")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard let reply = try await connection.send(SensorRequest.Stats()) else { return }
        let keys = ["packets", "malformed", "not_ip", "not_local", "kernel_dropped", "interface_dropped",
                    "ring_dropped", "host_table_full", "hosts_tracked", "hosts_expired", "discontinuities"]
        let interfaces = reply.interfaces
        // One row per figure, one column per interface: readable at any terminal width.
        let rows = [["capture"] + interfaces.map { $0.captureDownSince == nil ? "up" : "DOWN" },
                    ["capture restarts"] + interfaces.map { ($0.captureRestarts ?? 0).cell },
                    ["packets per second"] + interfaces.map(\.packetsPerSecond.cell),
                    ["bytes per second"] + interfaces.map(\.bytesPerSecond.cell),
                    ["windows decided"] + interfaces.map(\.windowsDecided.cell),
                    ["windows below the packet floor"] + interfaces.map(\.windowsBelowFloor.cell)]
            + keys.map { key in [key.replacingOccurrences(of: "_", with: " ")]
                + interfaces.map { $0.counters[key].cell } }
        print(TextTable.render(header: ["INTERFACE"] + interfaces.map(\.interface), rows: rows))
        for entry in interfaces {
            guard let since = entry.captureDownSince else { continue }
            print("capture on \(entry.interface) is down since \(since): \(entry.captureDownReason ?? "")")
        }
        if let verdicts = reply.verdicts, verdicts != .null {
            let names = ["accepted", "dropped", "verdict_errors", "receive_errors", "table_swaps"]
            print("inline verdicts: " + names.map { "\($0) \(verdicts[$0].cell)" }.joined(separator: ", "))
        }
        if let alerts = reply.alerts {
            let rows = alerts.outputs.map {
                [$0.name, "\($0.delivered)", "\($0.dropped)", "\($0.queued)", $0.lastError ?? "-"]
            }
            print(TextTable.render(header: ["ALERT OUTPUT", "DELIVERED", "DROPPED", "QUEUED", "LAST ERROR"], rows: rows))
            print("alerts the store could not take (neither stored nor sent): \(alerts.notStored)")
        }
    }
}

struct Model: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The loaded model and its held-out metrics.")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard let model = try await connection.send(SensorRequest.Model()) else { return }
        print(Cell.fields([
            "path": model.path, "id": model.id, "created": model.created, "interval_s": model.intervalSeconds,
            "windows_s": model.windowSeconds, "slide_s": model.slideSeconds, "features": model.features,
        ]))
        for (key, value) in (model.vote.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            print("vote.\(key)  \(value.cell)")
        }
        // The held-out figures the model file records, one row per protocol.
        var rows = [[String]]()
        func collect(_ value: JSONValue, path: String) {
            if let object = value.object {
                for key in object.keys.sorted() { collect(object[key]!, path: path.isEmpty ? key : "\(path).\(key)") }
            } else if value.number != nil || value.string != nil || value.bool != nil {
                rows.append([path, value.cell])
            }
        }
        collect(model.metrics, path: "")
        if !rows.isEmpty { print(TextTable.render(header: ["METRIC", "VALUE"], rows: rows)) }
    }
}

struct Reload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reload as SIGHUP does: configuration, pool-domain lists, pool model and model.",
        discussion: """
            Everything is read and checked first; a bad file refuses the whole reload (exit 1, the reason on standard \
            error) and the running configuration and models stay. Prints what changed and what waits for a restart.
            """)
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard let reply = try await connection.send(SensorRequest.Reload()) else { return }
        print("model \(reply.model) in use (\(reply.modelChanged ? "replaced" : "unchanged"))")
        print("pool domains: \(reply.poolDomains)"
              + (reply.listLinesSkipped > 0 ? " (\(reply.listLinesSkipped) list lines skipped)" : ""))
        for problem in reply.listProblems { print("  skipped: \(problem)") }
        print("applied: " + (reply.applied.isEmpty ? "no setting changed" : reply.applied.joined(separator: ", ")))
        if !reply.pendingRestart.isEmpty {
            print("waiting for a restart: " + reply.pendingRestart.joined(separator: "; "))
        }
    }
}

struct Ack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Acknowledge an alert (seen), with your name and the time; `coinsentryctl alerts` shows ids.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The alert's id.") var id: Int64

    func run() async throws {
        guard let reply = try await connection.send(SensorRequest.Acknowledge(id: id)) else { return }
        print("alert \(id) acknowledged by \(reply.alert.acknowledgedBy.cell)")
    }
}

struct Close: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Close an alert; closing a host's open alert ends its episode (a cleared alert, closed-by-operator).")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The alert's id.") var id: Int64

    func run() async throws {
        guard let reply = try await connection.send(SensorRequest.Close(id: id)) else { return }
        print("alert \(id) closed by \(reply.alert.closedBy.cell)"
              + (reply.episodeEnded ? "; the host's episode ended" : ""))
    }
}

struct Benign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mark a host or remote endpoint benign: its alerts are suppressed (and counted) until the mark ends.",
        discussion: """
            A local host's alerts stop; evidence naming a remote endpoint (IP, or IP:PORT) is ignored, e.g. an \
            internal service whose traffic looks like a pool's. Marks are kept in the alert store.
            Examples:
              coinsentryctl benign 10.0.0.5 --for 7d --reason "build server, CPU-bound jobs"
              coinsentryctl benign 203.0.113.7:443 --reason "our telemetry collector"
              coinsentryctl benign --list
              coinsentryctl benign --remove 10.0.0.5
            """)
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "A host (10.0.0.5) or a remote endpoint (203.0.113.7 or 203.0.113.7:443).") var target: String?
    @Option(help: "Why it is benign (kept with the mark).") var reason: String?
    @Option(name: .customLong("for"), help: "How long the mark holds: 30m, 12h, 7d, 4w (default: until removed).")
    var duration: String?
    @Flag(help: "List the marks.") var list = false
    @Flag(help: "Remove the mark of TARGET.") var remove = false

    func validate() throws {
        if list { return }
        guard target != nil else { throw ValidationError("give a host or remote endpoint, or --list") }
        if !remove, reason == nil { throw ValidationError("say why with --reason") }
        if let duration, Span.seconds(duration) == nil {
            throw ValidationError("--for \(duration): give a span such as 30m, 12h, 7d or 4w")
        }
    }

    func run() async throws {
        if list {
            guard let reply = try await connection.send(SensorRequest.BenignList()) else { return }
            let rows = reply.benign.map { mark in
                [mark.target, mark.reason, Cell.localTime(mark.until), mark.holds.cell, mark.suppressed.cell,
                 mark.requestedBy]
            }
            print(TextTable.render(header: ["TARGET", "REASON", "UNTIL", "HOLDS", "SUPPRESSED", "BY"], rows: rows))
            return
        }
        guard let target else { return }
        if remove {
            guard try await connection.send(SensorRequest.Unbenign(target: target)) != nil else { return }
            print("\(target) is no longer marked benign")
            return
        }
        let request = SensorRequest.Benign(target: target, reason: reason ?? "",
                                           seconds: duration.flatMap(Span.seconds))
        guard let reply = try await connection.send(request) else { return }
        print("\(target) marked benign" + (reply.until.map { " until \(Cell.localTime($0))" } ?? ""))
    }
}

struct Pause: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stop deciding and alerting (capture keeps counting), e.g. for a maintenance window.")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard try await connection.send(SensorRequest.Pause()) != nil else { return }
        print("paused")
    }
}

struct Resume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Decide and alert again, on fresh windows.")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard try await connection.send(SensorRequest.Resume()) != nil else { return }
        print("resumed")
    }
}
