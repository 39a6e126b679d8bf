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
        subcommands: [Status.self, Hosts.self, Host.self, Alerts.self, Stats.self, Model.self, Reload.self,
                      Pause.self, Resume.self, Block.self, Unblock.self, Allow.self, Disallow.self, Allowlist.self,
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

/// Renders values for tables.
enum Cell {
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
        print(Cell.fields(reply, ["sensor", "uptime_s", "paused", "interfaces", "hosts", "mining_hosts",
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
        print(Cell.fields(reply, ["host", "verdict", "level", "rule", "vote", "score", "windows", "class", "open_alert",
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
    static let configuration = CommandConfiguration(abstract: "Alerts raised, oldest first.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Only alerts at or after this time (RFC 3339, e.g. 2026-11-23T08:00:00Z).") var since: String?

    func run() throws {
        var request: [String: JSONValue] = ["cmd": "alerts"]
        if let since { request["since"] = .string(since) }
        guard let reply = try connection.send(.object(request)) else { return }
        let rows = (reply["alerts"]?.array ?? []).map { alert in
            ["time", "event", "level", "host", "rule", "score", "windows", "action", "reason"]
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
        let rows = (reply["interfaces"]?.array ?? []).map { entry in
            [Cell.text(entry["interface"]), Cell.text(entry["packets_per_second"]), Cell.text(entry["bytes_per_second"])]
                + keys.map { Cell.text(entry["counters"]?[$0]) }
        }
        print(Cell.table(["IFACE", "PKT/S", "BYTES/S"] + keys.map { $0.uppercased() }, rows))
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
        print(Cell.fields(reply, ["path", "id", "created", "interval_s", "windows_s", "slide_s", "features", "vote",
                                  "metrics"]))
    }
}

struct Reload: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reload the model (as SIGHUP does); a bad model is refused and the running one stays.")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard let reply = try connection.send(["cmd": "reload"]) else { return }
        print("model \(Cell.text(reply["model"])) in use")
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
