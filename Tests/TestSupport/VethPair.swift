import Foundation

/// A veth pair with one end in a network namespace of its own, made by the test and removed after it:
/// the test's "wire". Packets sent from `peer` inside `namespace` arrive at `outside`, where the sensor captures.
public final class VethPair {
    public let namespace: String
    public let outside: String
    public let peer: String

    /// Why the pair cannot be made here, or nil when it can (root and iproute2 are needed).
    public static var unavailableReason: String? {
        if !Shell.isRoot { return "skipped: needs root to create a network namespace and veth pair (CI runs as root)" }
        if Shell.which("ip") == nil { return "skipped: iproute2's `ip` is not installed" }
        return nil
    }

    /// Creates the namespace and the pair, both ends up, with a large MTU so rendered jumbo rows fit.
    public init(tag: String, mtu: Int = 9000) throws {
        let suffix = String(UInt32(getpid()) % 100_000) + tag
        namespace = "cs-\(suffix)"
        outside = "csa\(suffix)".prefix(15).description
        peer = "csb\(suffix)".prefix(15).description
        _ = try? Shell.run(["ip", "netns", "del", namespace])
        _ = try? Shell.run(["ip", "link", "del", outside])
        try Shell.run(["ip", "netns", "add", namespace])
        try Shell.run(["ip", "link", "add", outside, "type", "veth", "peer", "name", peer])
        try Shell.run(["ip", "link", "set", peer, "netns", namespace])
        try Shell.run(["ip", "link", "set", outside, "mtu", String(mtu), "up"])
        try Shell.run(["ip", "netns", "exec", namespace, "ip", "link", "set", peer, "mtu", String(mtu), "up"])
    }

    /// Runs a command inside the namespace.
    @discardableResult
    public func run(_ command: [String]) throws -> String {
        try Shell.run(["ip", "netns", "exec", namespace] + command)
    }

    /// Replays a capture file out of `peer` at the speed it was recorded (tcpreplay, the file loaded into memory
    /// first) and returns the seconds the replay took, as tcpreplay reports them.
    ///
    /// tcpreplay runs under `chrt --fifo 1` where real-time scheduling is allowed (root, unless a container withholds
    /// CAP_SYS_NICE): sending a packet into a veth runs the receive path in the sender's time, so on a busy machine an
    /// ordinary tcpreplay falls behind and stretches the traffic, and tests that compress time see different traffic
    /// from what was rendered.
    @discardableResult
    public func replay(_ capture: String) throws -> Double {
        let priority = Self.realTimeAllowed ? ["chrt", "--fifo", "1"] : []
        let output = try run(priority + ["tcpreplay", "--preload-pcap", "--intf1=\(peer)", capture])
        guard let line = output.split(separator: "\n").first(where: { $0.contains("Actual:") }),
              let sent = line.range(of: "sent in "),
              let seconds = Double(line[sent.upperBound...].prefix { $0.isNumber || $0 == "." }) else {
            throw Shell.Failure(command: ["tcpreplay", capture], status: 0, output: "no `Actual:` line in: \(output)")
        }
        return seconds
    }

    /// Whether this process may start commands at a real-time priority.
    static let realTimeAllowed = (try? Shell.run(["chrt", "--fifo", "1", "true"])) != nil

    deinit {
        _ = try? Shell.run(["ip", "link", "del", outside])
        _ = try? Shell.run(["ip", "netns", "del", namespace])
    }
}
