import ArgumentParser
import Control
import Foundation

/// `coinsentryctl chain ...`: the chain sidecar (`coinsentry-chaind`) over its own control socket, same protocol as
/// the sensor's.
struct Chain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask a running coinsentry-chaind: chain status, an address, patterns, the watchlist, the testbed.",
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
              coinsentryctl chain testbed start small --seed 3 --blocks 6
            """,
        subcommands: [ChainStatusCommand.self, ChainAddress.self, ChainPatterns.self, ChainWatch.self, ChainUnwatch.self,
                      ChainWatchlist.self, ChainTestbed.self])
}

/// Options every `chain` subcommand shares.
struct ChainConnectionOptions: ParsableArguments {
    @Option(help: "The chain sidecar's control socket.")
    var socket = "/run/coinsentry-chain/chain.sock"

    @Flag(help: "Print the sidecar's reply as JSON.")
    var json = false

    /// Sends `request`; prints JSON and returns nil in --json mode, else returns the typed reply for a table.
    func send<Request: ControlRequest>(_ request: Request) async throws -> Request.Reply? {
        try await DaemonCall.send(request, socket: socket, json: json,
                                  notRunning: "coinsentry-chaind is not running (nothing listens at \(socket)); start "
                                      + "it with `systemctl start coinsentry-chaind`, or name its socket with --socket")
    }
}

struct ChainStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "The sidecar at a glance: tip, counts, last cycle, watchlist, alert sinks.")
    @OptionGroup var connection: ChainConnectionOptions

    func run() async throws {
        guard let status = try await connection.send(ChainRequest.Status()) else { return }
        print(Cell.fields([
            "network": status.network, "tip_height": status.tipHeight, "tip_hash": status.tipHash,
            "blocks": status.blocks, "transactions": status.transactions, "addresses": status.addresses,
            "last_block_time": status.lastBlockTime, "last_cycle": status.lastCycle, "last_blocks": status.lastBlocks,
            "interval_seconds": status.intervalSeconds, "watched": status.watched, "alerts": status.alerts,
            "patterns": status.patterns, "model": status.model, "last_error": status.lastError,
        ]))
        let sinks = status.sinks.map { [$0.name, $0.delivered.cell, $0.dropped.cell, $0.lastError.cell] }
        if !sinks.isEmpty { print("\n" + TextTable.render(header: ["ALERT SINK", "DELIVERED", "DROPPED", "LAST ERROR"], rows: sinks)) }
    }
}

struct ChainAddress: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "address",
        abstract: "One address: balance and transactions, behaviour class, cluster, patterns and features.")
    @OptionGroup var connection: ChainConnectionOptions
    @Argument(help: "A Bitcoin address of the sidecar's network.") var address: String

    func run() async throws {
        guard let report = try await connection.send(ChainRequest.Address(address: address)) else { return }
        print(report.text)
    }
}

struct ChainPatterns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "Recurring patterns (near-identical neighbourhoods across windows), most frequent first.")
    @OptionGroup var connection: ChainConnectionOptions
    @Option(help: "Member addresses shown per pattern (all with --json).") var members = 3

    func run() async throws {
        guard let reply = try await connection.send(ChainRequest.Patterns()) else { return }
        let rows = reply.patterns.sorted { $0.occurrences > $1.occurrences }.enumerated().map { number, pattern in
            let all = pattern.members
            let shown = all.prefix(max(0, members)).joined(separator: " ")
                + (all.count > members ? " (+\(all.count - members))" : "")
            return [String(number + 1), pattern.occurrences.cell, String(all.count), Cell.blockTime(pattern.firstSeen),
                    Cell.blockTime(pattern.lastSeen), shown]
        }
        print(TextTable.render(header: ["#", "OCCURRENCES", "MEMBERS", "FIRST SEEN", "LAST SEEN", "ADDRESSES"], rows: rows))
        if rows.isEmpty { print("no recurring patterns in the analysed windows") }
    }
}

struct ChainWatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch an address: its new activity and behaviour-class changes become alerts (journald, syslog).")
    @OptionGroup var connection: ChainConnectionOptions
    @Argument(help: "A Bitcoin address of the sidecar's network.") var address: String

    func run() async throws {
        guard let reply = try await connection.send(ChainRequest.Watch(address: address)) else { return }
        print("watching \(address) (\(reply.watched) addresses watched)")
    }
}

struct ChainUnwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unwatch", abstract: "Stop watching an address (removed from the watchlist file too).")
    @OptionGroup var connection: ChainConnectionOptions
    @Argument(help: "A watched address.") var address: String

    func run() async throws {
        guard let reply = try await connection.send(ChainRequest.Unwatch(address: address)) else { return }
        print("no longer watching \(address) (\(reply.watched) addresses watched)")
    }
}

struct ChainWatchlist: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "watchlist", abstract: "The watched addresses.")
    @OptionGroup var connection: ChainConnectionOptions

    func run() async throws {
        guard let reply = try await connection.send(ChainRequest.Watchlist()) else { return }
        print(TextTable.render(header: ["WATCHED ADDRESS"], rows: reply.addresses.map { [$0] }))
        print("\(reply.addresses.count) addresses, file \(reply.file.cell)")
    }
}
