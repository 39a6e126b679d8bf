import ArgumentParser
import Control

/// `block`, `unblock`, `allow`, `disallow`, `allowlist`: inline mode's operator controls. Each change is an alert
/// record (`blocked` / `unblocked`) naming who asked.
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

struct Unblock: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stop dropping a host's traffic (an automatic block too; it returns only if the verdict clears "
            + "and turns mining again).")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The host's IP address.") var address: String

    func run() throws {
        guard let reply = try connection.send(["cmd": "unblock", "host": .string(address)]) else { return }
        print("unblocked \(Cell.text(reply["host"])) (was: \(Cell.text(reply["detail"])))")
    }
}

struct Allow: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a host on the allowlist: never blocked (it is still alerted on).")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The host's IP address.") var address: String

    func run() throws {
        guard let reply = try connection.send(["cmd": "allow", "host": .string(address)]) else { return }
        print("\(Cell.text(reply["host"])) \(Cell.text(reply["detail"]))")
    }
}

struct Disallow: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Take a host off the allowlist (entries from inline.allowlist stay: edit the configuration).")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The host's IP address.") var address: String

    func run() throws {
        guard let reply = try connection.send(["cmd": "disallow", "host": .string(address)]) else { return }
        print("\(Cell.text(reply["host"])) \(Cell.text(reply["detail"]))")
    }
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
