import ArgumentParser
import Control
import Foundation

/// `coinsentryctl chain ...`: the chain sidecar (`coinsentry-chaind`) over its own control socket, same protocol as
/// the sensor's.
struct Chain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask a running coinsentry-chaind: chain status, an address, recurring patterns, the watchlist.",
        discussion: """
            Talks to the sidecar's control socket (/run/coinsentry-chain/chain.sock by default, or [control] socket \
            in chain.toml). Human tables by default; --json prints the sidecar's reply as one JSON object.
            Exit status: 0 done, 1 refused (the sidecar's message on stderr), 3 the sidecar is not running, \
            4 permission denied on the socket.

            Examples:
              coinsentryctl chain status
              coinsentryctl chain address bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq
              coinsentryctl chain patterns --json | jq '.patterns[0].members'
              coinsentryctl chain watch 1BoatSLRHtKNngkdXEeobR76b53LETtpyT
              coinsentryctl chain unwatch 1BoatSLRHtKNngkdXEeobR76b53LETtpyT
              coinsentryctl chain watchlist
            """,
        subcommands: [ChainStatus.self, ChainAddress.self, ChainPatterns.self, ChainWatch.self, ChainUnwatch.self,
                      ChainWatchlist.self])
}

/// Options every `chain` subcommand shares.
struct ChainConnectionOptions: ParsableArguments {
    @Option(help: "The chain sidecar's control socket.")
    var socket = "/run/coinsentry-chain/chain.sock"

    @Flag(help: "Print the sidecar's reply as JSON.")
    var json = false

    /// Sends `request`; prints JSON and returns nil in --json mode, else returns the reply for a table.
    func send(_ request: JSONValue) throws -> JSONValue? {
        try ControlRequest.send(request, socket: socket, json: json,
                                notRunning: "coinsentry-chaind is not running (nothing listens at \(socket)); start it "
                                    + "with `systemctl start coinsentry-chaind`, or name its socket with --socket")
    }
}

/// Block times (seconds since the epoch) as RFC 3339.
private func blockTime(_ value: JSONValue?) -> String {
    guard let seconds = value?.number else { return "-" }
    return ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds))
}

struct ChainStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "The sidecar at a glance: tip, counts, last cycle, watchlist, alert sinks.")
    @OptionGroup var connection: ChainConnectionOptions

    func run() throws {
        guard let reply = try connection.send(["cmd": "status"]) else { return }
        print(Cell.fields(reply, ["network", "tip_height", "tip_hash", "blocks", "transactions", "addresses",
                                  "last_block_time", "last_cycle", "last_blocks", "interval_seconds", "watched",
                                  "alerts", "patterns", "model", "last_error"]))
        let sinks = (reply["sinks"]?.array ?? []).map { sink in
            ["name", "delivered", "dropped", "last_error"].map { Cell.text(sink[$0]) }
        }
        if !sinks.isEmpty { print("\n" + Cell.table(["ALERT SINK", "DELIVERED", "DROPPED", "LAST ERROR"], sinks)) }
    }
}

struct ChainAddress: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "address", abstract: "One address: behaviour class with confidences, and its features.")
    @OptionGroup var connection: ChainConnectionOptions
    @Argument(help: "A Bitcoin address of the sidecar's network.") var address: String

    func run() throws {
        guard let reply = try connection.send(["cmd": "address", "address": .string(address)]) else { return }
        print(Cell.fields(reply, ["address", "watched", "class", "confidence"]))
        let probabilities = (reply["probabilities"]?.object ?? [:])
            .sorted { ($0.value.number ?? 0) > ($1.value.number ?? 0) }
        if !probabilities.isEmpty {
            print("\n" + Cell.table(["CLASS", "PROBABILITY"], probabilities.map { [$0.key, Cell.text($0.value)] }))
        }
        let features = (reply["features"]?.object ?? [:]).sorted { $0.key < $1.key }
        print("\n" + Cell.table(["FEATURE", "VALUE"], features.map { [$0.key, Cell.text($0.value)] }))
    }
}

struct ChainPatterns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "Recurring patterns (near-identical neighbourhoods across windows), most frequent first.")
    @OptionGroup var connection: ChainConnectionOptions
    @Option(help: "Member addresses shown per pattern (all with --json).") var members = 3

    func run() throws {
        guard let reply = try connection.send(["cmd": "patterns"]) else { return }
        let patterns = (reply["patterns"]?.array ?? []).sorted {
            ($0["occurrences"]?.number ?? 0) > ($1["occurrences"]?.number ?? 0)
        }
        let rows = patterns.enumerated().map { number, pattern in
            let all = (pattern["members"]?.array ?? []).compactMap(\.string)
            let shown = all.prefix(max(0, members)).joined(separator: " ")
                + (all.count > members ? " (+\(all.count - members))" : "")
            return [String(number + 1), Cell.text(pattern["occurrences"]), String(all.count),
                    blockTime(pattern["first_seen"]), blockTime(pattern["last_seen"]), shown]
        }
        print(Cell.table(["#", "OCCURRENCES", "MEMBERS", "FIRST SEEN", "LAST SEEN", "ADDRESSES"], rows))
        if rows.isEmpty { print("no recurring patterns in the analysed windows") }
    }
}

struct ChainWatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch an address: its new activity and behaviour-class changes become alerts (journald, syslog).")
    @OptionGroup var connection: ChainConnectionOptions
    @Argument(help: "A Bitcoin address of the sidecar's network.") var address: String

    func run() throws {
        guard let reply = try connection.send(["cmd": "watch", "address": .string(address)]) else { return }
        print("watching \(address) (\(Cell.text(reply["watched"])) addresses watched)")
    }
}

struct ChainUnwatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unwatch", abstract: "Stop watching an address (removed from the watchlist file too).")
    @OptionGroup var connection: ChainConnectionOptions
    @Argument(help: "A watched address.") var address: String

    func run() throws {
        guard let reply = try connection.send(["cmd": "unwatch", "address": .string(address)]) else { return }
        print("no longer watching \(address) (\(Cell.text(reply["watched"])) addresses watched)")
    }
}

struct ChainWatchlist: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "watchlist", abstract: "The watched addresses.")
    @OptionGroup var connection: ChainConnectionOptions

    func run() throws {
        guard let reply = try connection.send(["cmd": "watchlist"]) else { return }
        let addresses = (reply["addresses"]?.array ?? []).compactMap(\.string)
        print(Cell.table(["WATCHED ADDRESS"], addresses.map { [$0] }))
        print("\(addresses.count) addresses, file \(Cell.text(reply["file"]))")
    }
}
