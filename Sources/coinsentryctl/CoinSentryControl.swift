import ArgumentParser
import Control
import Foundation

/// `coinsentryctl`: the administrator's view into a running `coinsentryd`, over its control socket.
@main
struct CoinSentryControl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coinsentryctl",
        abstract: "Ask a running coinsentryd: hosts, verdicts, alerts, counters; reload, pause, resume; inline blocks.",
        discussion: """
            Talks to the daemon's control socket (/run/coinsentry/control.sock by default; its group, coinsentry, \
            may use it). Human tables by default; --json prints the daemon's reply as one JSON object for scripts.

            Examples:
              coinsentryctl status
              coinsentryctl hosts --top 10
              coinsentryctl host 10.0.0.5
              coinsentryctl alerts --since 2026-11-23T00:00:00Z --json | jq '.alerts[].host'
              coinsentryctl block 10.0.0.5          (inline mode: drop its pool traffic; --all for everything)
              coinsentryctl unblock 10.0.0.5; coinsentryctl allowlist
            """,
        version: CoinSentryVersion.current,
        subcommands: [Status.self, Hosts.self, Host.self, Alerts.self, Ack.self, Close.self, Benign.self, Stats.self,
                      Model.self, Reload.self, Pause.self, Resume.self, Block.self, Unblock.self, Allow.self, Disallow.self, Allowlist.self,
                      Chain.self]
    )
}

/// Options every subcommand shares.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "The daemon's control socket.")
    var socket = "/run/coinsentry/control.sock"

    @Flag(help: "Print the daemon's reply as JSON.")
    var json = false

    /// Sends `request`; prints JSON and returns nil in --json mode, else returns the reply for a table.
    /// Failures (daemon not running, permission, refused request) exit non-zero with the daemon's message.
    func send(_ request: JSONValue) throws -> JSONValue? {
        try ControlRequest.send(request, socket: socket, json: json)
    }
}

/// One request to a daemon's control socket as every subcommand makes it.
enum ControlRequest {
    /// Sends `request` to `socket`; in `json` mode prints the reply and returns nil, else returns it for a table.
    /// Exits 3 when nothing listens (with `notRunning` as the message, if given), 4 when permission is denied, 1 for
    /// any other failure or a refused request.
    static func send(_ request: JSONValue, socket: String, json: Bool, notRunning: String? = nil) throws -> JSONValue? {
        let reply: JSONValue
        do {
            reply = try ControlClient.request(request, socket: socket)
        } catch {
            let message = error.code == .notRunning ? notRunning ?? "\(error)" : "\(error)"
            FileHandle.standardError.write(Data("coinsentryctl: \(message)\n".utf8))
            throw ExitCode(error.code == .notRunning ? 3 : error.code == .permissionDenied ? 4 : 1)
        }
        if json {
            print(reply.line)
            if reply["ok"]?.bool != true { throw ExitCode(1) }
            return nil
        }
        guard reply["ok"]?.bool == true else {
            FileHandle.standardError.write(Data("coinsentryctl: \(reply["error"]?.string ?? "request failed")\n".utf8))
            throw ExitCode(1)
        }
        return reply
    }
}

/// Spans of time as operators type them: `90s`, `30m`, `12h`, `7d`, `4w`.
enum Span {
    /// The span's seconds, or nil when `text` is not one (or not above zero).
    static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        guard let unit = text.last.flatMap({ units[$0] }), let count = Double(text.dropLast()), count > 0 else {
            return nil
        }
        return count * unit
    }
}

/// Renders values for tables.
enum Cell {
    /// A time (seconds since 1970, or an RFC 3339 string) in the local time zone, to the second.
    static func localTime(_ value: JSONValue?) -> String {
        let date: Date? = if let seconds = value?.number {
            Date(timeIntervalSince1970: seconds)
        } else if let text = value?.string {
            (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
                ?? (try? Date(text, strategy: .iso8601))
        } else {
            nil
        }
        guard let date else { return text(value) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss zzz"
        return formatter.string(from: date)
    }

    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: return text
        case .number(let number)?:
            return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(format: "%.3f", number)
        case .bool(let flag)?: return flag ? "yes" : "no"
        case .null?, nil: return "-"
        case let other?: return other.line
        }
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows { for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) } }
        let render = { (cells: [String]) in
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([render(header)] + rows.map(render)).joined(separator: "\n")
    }

    /// `key: value` lines for an object's fields, in the given order.
    static func fields(_ reply: JSONValue, _ keys: [String]) -> String {
        let width = keys.map(\.count).max() ?? 0
        return keys.map { "\($0.padding(toLength: width, withPad: " ", startingAt: 0))  \(text(reply[$0]))" }
            .joined(separator: "\n")
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The sensor at a glance.")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard let reply = try connection.send(["cmd": "status"]) else { return }
        print(Cell.fields(reply, ["sensor", "version", "uptime_s", "paused", "interfaces", "hosts", "mining_hosts",
                                  "suspect_hosts", "open_alerts", "packets_per_second", "model", "inline"]))
    }
}

struct Hosts: ParsableCommand {
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

    func run() throws {
        var request: [String: JSONValue] = ["cmd": "hosts", "top": .number(Double(top))]
        if let level { request["level"] = .string(level) }
        guard let reply = try connection.send(.object(request)) else { return }
        let rows = (reply["hosts"]?.array ?? []).map { host in
            ["host", "level", "rule", "score", "windows", "class", "bytes_received", "bytes_sent"]
                .map { Cell.text(host[$0]) }
        }
        print(Cell.table(["HOST", "LEVEL", "RULE", "SCORE", "WINDOWS", "CLASS", "BYTES RX", "BYTES TX"], rows))
    }
}

struct Host: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One host: verdict, score, recent window decisions, busiest remote endpoints.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The host's IP address.") var address: String

    func run() throws {
        guard let reply = try connection.send(["cmd": "host", "host": .string(address)]) else { return }
        print(Cell.fields(reply, ["host", "verdict", "level", "rule", "benign", "suppressed_alerts", "vote", "score", "windows", "class", "open_alert",
                                  "bytes_received", "bytes_sent", "packets_received", "packets_sent",
                                  "last_window_end"]))
        if let block = reply["blocked"], block != .null {
            let remotes = (block["remotes"]?.array ?? []).compactMap(\.string).joined(separator: " ")
            print("blocked: \(Cell.text(block["scope"])) \(remotes) (by \(Cell.text(block["requested_by"])))")
        }
        let evidence = (reply["evidence"]?.array ?? []).map { piece in
            ["kind", "remote", "dialect", "worker", "name", "score"].map { Cell.text(piece[$0]) }
        }
        if !evidence.isEmpty {
            print(Cell.table(["EVIDENCE", "REMOTE", "DIALECT", "WORKER", "NAME", "SCORE"], evidence))
        }
        let rules = (reply["rules"]?.array ?? []).map { rule in
            [Cell.text(rule["rule"]), Cell.text(rule["level"]), rule["holds"]?.bool == true ? "holds" : "-",
             Cell.text(rule["detail"])]
        }
        if !rules.isEmpty { print(Cell.table(["RULE", "LEVEL", "STATE", "WHAT IT SAW OR NEEDS"], rules)) }
        let decisions = (reply["recent_decisions"]?.array ?? []).compactMap(\.number)
        print("recent decisions (newest last, + = mining): "
              + decisions.map { $0 > 0 ? "+" : "." }.joined())
        let remotes = (reply["busiest_remotes"]?.array ?? []).map { remote in
            ["remote", "transport", "bytes"].map { Cell.text(remote[$0]) }
        }
        if !remotes.isEmpty { print(Cell.table(["REMOTE", "PROTO", "BYTES"], remotes)) }
    }
}

struct Alerts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Alerts raised, oldest first, with local times.",
        discussion: """
            Examples:
              coinsentryctl alerts --since 1h
              coinsentryctl alerts --since 2d --level mining
              coinsentryctl alerts --host 10.0.0.5 --event cleared --json
            """)
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Only alerts at or after this time: a span back from now (30m, 1h, 2d, 1w) or RFC 3339 (2026-11-23T08:00:00Z).")
    var since: String?
    @Option(help: "Only this host's alerts.") var host: String?
    @Option(help: "Only alerts of this level: mining or suspect.") var level: String?
    @Option(help: "Only this event: mining, suspect, cleared, reminder, blocked, unblocked, audit.") var event: String?

    func validate() throws {
        if let since, Self.start(since) == nil {
            throw ValidationError("--since \(since): give a span (30m, 1h, 2d, 1w) or an RFC 3339 time")
        }
    }

    /// The time `text` names: now less a span (`90s`, `30m`, `1h`, `2d`, `1w`), or an RFC 3339 time.
    static func start(_ text: String, now: Date = Date()) -> Date? {
        if let seconds = Span.seconds(text) { return now.addingTimeInterval(-seconds) }
        return try? Date(text, strategy: .iso8601)
    }

    func run() throws {
        var request: [String: JSONValue] = ["cmd": "alerts"]
        if let since, let start = Self.start(since) { request["since"] = .number(start.timeIntervalSince1970) }
        if let host { request["host"] = .string(host) }
        if let level { request["level"] = .string(level) }
        if let event { request["event"] = .string(event) }
        guard let reply = try connection.send(.object(request)) else { return }
        let rows = (reply["alerts"]?.array ?? []).map { alert in
            [Cell.localTime(alert["time"])] + ["event", "level", "host", "rule", "score", "windows", "action", "reason"]
                .map { Cell.text(alert[$0]) }
        }
        print(Cell.table(["TIME", "EVENT", "LEVEL", "HOST", "RULE", "SCORE", "WINDOWS", "ACTION", "REASON"], rows))
    }
}

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Packets and bytes per second, drops by cause, ring overflow, hosts tracked and expired.")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard let reply = try connection.send(["cmd": "stats"]) else { return }
        let keys = ["packets", "malformed", "not_ip", "not_local", "kernel_dropped", "interface_dropped",
                    "ring_dropped", "host_table_full", "hosts_tracked", "hosts_expired", "discontinuities"]
        let interfaces = reply["interfaces"]?.array ?? []
        // One row per figure, one column per interface: readable at any terminal width.
        let rows = [["packets per second"] + interfaces.map { Cell.text($0["packets_per_second"]) },
                    ["bytes per second"] + interfaces.map { Cell.text($0["bytes_per_second"]) },
                    ["windows decided"] + interfaces.map { Cell.text($0["windows_decided"]) },
                    ["windows below the packet floor"] + interfaces.map { Cell.text($0["windows_below_floor"]) }]
            + keys.map { key in [key.replacingOccurrences(of: "_", with: " ")]
                + interfaces.map { Cell.text($0["counters"]?[key]) } }
        print(Cell.table(["INTERFACE"] + interfaces.map { Cell.text($0["interface"]) }, rows))
        if let verdicts = reply["verdicts"], verdicts != .null {
            let names = ["accepted", "dropped", "verdict_errors", "receive_errors", "table_swaps"]
            print("inline verdicts: " + names.map { "\($0) \(Cell.text(verdicts[$0]))" }.joined(separator: ", "))
        }
    }
}

struct Model: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The loaded model and its held-out metrics.")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard let reply = try connection.send(["cmd": "model"]) else { return }
        print(Cell.fields(reply, ["path", "id", "created", "interval_s", "windows_s", "slide_s", "features"]))
        if let vote = reply["vote"]?.object {
            print(Cell.fields(.object(vote), vote.keys.sorted()).split(separator: "\n").map { "vote.\($0)" }
                .joined(separator: "\n"))
        }
        // The held-out figures the model file records, one row per protocol.
        var rows = [[String]]()
        func collect(_ value: JSONValue, path: String) {
            if let object = value.object {
                for key in object.keys.sorted() { collect(object[key]!, path: path.isEmpty ? key : "\(path).\(key)") }
            } else if value.number != nil || value.string != nil || value.bool != nil {
                rows.append([path, Cell.text(value)])
            }
        }
        if let metrics = reply["metrics"] { collect(metrics, path: "") }
        if !rows.isEmpty { print(Cell.table(["METRIC", "VALUE"], rows)) }
    }
}

struct Reload: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reload as SIGHUP does: configuration, pool-domain lists, pool model and model.",
        discussion: """
            Everything is read and checked first; a bad file refuses the whole reload (exit 1, the reason on standard \
            error) and the running configuration and models stay. Prints what changed and what waits for a restart.
            """)
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard let reply = try connection.send(["cmd": "reload"]) else { return }
        let changed = reply["model_changed"]?.bool == true
        print("model \(Cell.text(reply["model"])) in use (\(changed ? "replaced" : "unchanged"))")
        print("pool domains: \(Cell.text(reply["pool_domains"]))"
              + ((reply["list_lines_skipped"]?.number ?? 0) > 0
                 ? " (\(Cell.text(reply["list_lines_skipped"])) list lines skipped)" : ""))
        for problem in reply["list_problems"]?.array ?? [] { print("  skipped: \(Cell.text(problem))") }
        let applied = (reply["applied"]?.array ?? []).compactMap(\.string)
        print("applied: " + (applied.isEmpty ? "no setting changed" : applied.joined(separator: ", ")))
        let pending = (reply["pending_restart"]?.array ?? []).compactMap(\.string)
        if !pending.isEmpty { print("waiting for a restart: " + pending.joined(separator: "; ")) }
    }
}

/// A request about one alert by id, whose reply is printed as one line.
protocol AlertRequest: ParsableCommand {
    static var command: String { get }
    var connection: ConnectionOptions { get }
    var id: Int64 { get }
    /// The line printed for the reply.
    func describe(_ reply: JSONValue) -> String
}

extension AlertRequest {
    func run() throws {
        guard let reply = try connection.send(["cmd": .string(Self.command), "id": .number(Double(id))]) else { return }
        print(describe(reply))
    }
}

struct Ack: AlertRequest {
    static let configuration = CommandConfiguration(
        abstract: "Acknowledge an alert (seen), with your name and the time; `coinsentryctl alerts` shows ids.")
    static let command = "ack"
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The alert's id.") var id: Int64

    func describe(_ reply: JSONValue) -> String {
        "alert \(id) acknowledged by \(Cell.text(reply["alert"]?["acknowledged_by"]))"
    }
}

struct Close: AlertRequest {
    static let configuration = CommandConfiguration(
        abstract: "Close an alert; closing a host's open alert ends its episode (a cleared alert, closed-by-operator).")
    static let command = "close"
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The alert's id.") var id: Int64

    func describe(_ reply: JSONValue) -> String {
        "alert \(id) closed by \(Cell.text(reply["alert"]?["closed_by"]))"
            + (reply["episode_ended"]?.bool == true ? "; the host's episode ended" : "")
    }
}

struct Benign: ParsableCommand {
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


    func run() throws {
        if list {
            guard let reply = try connection.send(["cmd": "benign-list"]) else { return }
            let rows = (reply["benign"]?.array ?? []).map { mark in
                [Cell.text(mark["target"]), Cell.text(mark["reason"]), Cell.localTime(mark["until"]),
                 Cell.text(mark["holds"]), Cell.text(mark["suppressed"]), Cell.text(mark["requested_by"])]
            }
            print(Cell.table(["TARGET", "REASON", "UNTIL", "HOLDS", "SUPPRESSED", "BY"], rows))
            return
        }
        guard let target else { return }
        if remove {
            guard try connection.send(["cmd": "unbenign", "target": .string(target)]) != nil else { return }
            print("\(target) is no longer marked benign")
            return
        }
        var request: [String: JSONValue] = ["cmd": "benign", "target": .string(target), "reason": .string(reason ?? "")]
        if let duration, let seconds = Span.seconds(duration) { request["seconds"] = .number(seconds) }
        guard let reply = try connection.send(.object(request)) else { return }
        print("\(target) marked benign" + (reply["until"]?.string.map { " until \(Cell.localTime(.string($0)))" } ?? ""))
    }
}

struct Pause: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stop deciding and alerting (capture keeps counting), e.g. for a maintenance window.")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard try connection.send(["cmd": "pause"]) != nil else { return }
        print("paused")
    }
}

struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Decide and alert again, on fresh windows.")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard try connection.send(["cmd": "resume"]) != nil else { return }
        print("resumed")
    }
}
