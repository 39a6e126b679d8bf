import ArgumentParser
import Control

/// `block`, `unblock`, `allow`, `disallow`, `allowlist`: inline mode's operator controls. Each block and unblock is an
/// alert record (`blocked` / `unblocked`) naming who asked.
struct Block: ParsableCommand {
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

    func run() throws {
        guard let reply = try connection.send(["cmd": "block", "host": .string(address), "all": .bool(all)]) else {
            return
        }
        print("blocked \(Cell.text(reply["host"])): \(Cell.text(reply["detail"]))")
    }
}

/// The socket options and the host a one-host request is about.
struct HostTarget: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The host's IP address.") var address: String
}

/// A request about one host whose reply is printed as `COMMAND HOST: DETAIL`.
protocol HostRequest: ParsableCommand {
    static var command: String { get }
    var target: HostTarget { get }
}

extension HostRequest {
    func run() throws {
        let request: JSONValue = ["cmd": .string(Self.command), "host": .string(target.address)]
        guard let reply = try target.connection.send(request) else { return }
        print("\(Self.command) \(Cell.text(reply["host"])): \(Cell.text(reply["detail"]))")
        if let note = reply["note"]?.string { print("note: \(note)") }
    }
}

struct Unblock: HostRequest {
    static let configuration = CommandConfiguration(
        abstract: "Stop dropping a host's traffic (an automatic block too: it returns only when the verdict clears "
            + "and turns mining again).")
    static let command = "unblock"
    @OptionGroup var target: HostTarget
}

struct Allow: HostRequest {
    static let configuration = CommandConfiguration(
        abstract: "Put a host on the allowlist: never blocked (it is still alerted on).")
    static let command = "allow"
    @OptionGroup var target: HostTarget
}

struct Disallow: HostRequest {
    static let configuration = CommandConfiguration(
        abstract: "Take a host off the allowlist (entries from inline.allowlist stay: edit the configuration).")
    static let command = "disallow"
    @OptionGroup var target: HostTarget
}

struct Allowlist: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The allowlist and the hosts blocked now.")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard let reply = try connection.send(["cmd": "allowlist"]) else { return }
        let allowed = (reply["allowlist"]?.array ?? []).map { entry in
            ["host", "requested_by", "since"].map { Cell.text(entry[$0]) }
        }
        print(Cell.table(["ALLOWED", "BY", "SINCE"], allowed))
        let blocks = (reply["blocks"]?.array ?? []).map { entry in
            [Cell.text(entry["host"]), Cell.text(entry["scope"]),
             (entry["remotes"]?.array ?? []).compactMap(\.string).joined(separator: " "),
             Cell.text(entry["origin"]), Cell.text(entry["requested_by"]), Cell.text(entry["since"])]
        }
        print("")
        print(Cell.table(["BLOCKED", "SCOPE", "REMOTES", "ORIGIN", "BY", "SINCE"], blocks))
    }
}
