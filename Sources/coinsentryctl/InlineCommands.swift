import ArgumentParser
import Control

/// `block`, `unblock`, `allow`, `disallow`, `allowlist`: inline mode's operator controls. Each block and unblock is an
/// alert record (`blocked` / `unblocked`) naming who asked.
struct Block: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Drop a host's mining traffic (inline mode, block policy).",
        discussion: """
            Without --all, the host's packets to the remote endpoints its evidence names (stratum pools, pool-shaped \
            flows, pool names) are dropped, or to its busiest remote endpoints when it has no evidence; with --all, \
            all its traffic. The block lasts until `coinsentryctl unblock HOST`, also across restarts.
            """)
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The host's IP address.") var address: String
    @Flag(help: "Drop all of the host's traffic, not only its mining endpoints.") var all = false

    func run() async throws {
        guard let reply = try await connection.send(SensorRequest.Block(host: address, all: all)) else { return }
        print("blocked \(reply.host): \(reply.detail)")
    }
}

/// The socket options and the host a one-host request is about.
struct HostTarget: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The host's IP address.") var address: String
}

/// A request about one host whose reply is printed as `COMMAND HOST: DETAIL`.
protocol HostRequest: AsyncParsableCommand {
    associatedtype Request: ControlRequest where Request.Reply == InlineDone
    var target: HostTarget { get }
    var request: Request { get }
}

extension HostRequest {
    func run() async throws {
        guard let reply = try await target.connection.send(request) else { return }
        print("\(reply.done) \(reply.host): \(reply.detail)")
        if let note = reply.note { print("note: \(note)") }
    }
}

struct Unblock: HostRequest {
    static let configuration = CommandConfiguration(
        abstract: "Stop dropping a host's traffic (an automatic block too: it returns only when the verdict clears "
            + "and turns mining again).")
    @OptionGroup var target: HostTarget
    var request: SensorRequest.Unblock { .init(host: target.address) }
}

struct Allow: HostRequest {
    static let configuration = CommandConfiguration(
        abstract: "Put a host on the allowlist: never blocked (it is still alerted on).")
    @OptionGroup var target: HostTarget
    var request: SensorRequest.Allow { .init(host: target.address) }
}

struct Disallow: HostRequest {
    static let configuration = CommandConfiguration(
        abstract: "Take a host off the allowlist (entries from inline.allowlist stay: edit the configuration).")
    @OptionGroup var target: HostTarget
    var request: SensorRequest.Disallow { .init(host: target.address) }
}

struct Allowlist: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The allowlist and the hosts blocked now.")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard let reply = try await connection.send(SensorRequest.Allowlist()) else { return }
        print(TextTable.render(header: ["ALLOWED", "BY", "SINCE"],
                               rows: reply.allowlist.map { [$0.host, $0.requestedBy, $0.since] }))
        let blocks = reply.blocks.map { entry in
            [entry.host, entry.scope, entry.remotes.joined(separator: " "), entry.origin, entry.requestedBy,
             entry.since]
        }
        print("")
        print(TextTable.render(header: ["BLOCKED", "SCOPE", "REMOTES", "ORIGIN", "BY", "SINCE"], rows: blocks))
    }
}
