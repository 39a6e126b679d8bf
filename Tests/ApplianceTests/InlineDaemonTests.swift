import Control
import Foundation
import TestSupport
import Testing

/// coinsentryd inline, as a gateway runs it: packets entering from a namespace go through an iptables NFQUEUE rule
/// (with --queue-bypass) to the daemon in `block` policy. A live stratum session (captures/tools/session.py) makes its
/// host *mining* at once on the evidence; its flows to the pool are dropped while its other traffic and another host's
/// pass; `coinsentryctl unblock` lets it through again; operators' blocks survive a restart; and a killed daemon
/// leaves traffic flowing.
@Suite(.serialized) struct InlineDaemonTests {
    static let gateway = "10.78.0.1", miner = "10.78.0.2", other = "10.78.0.3"
    static let poolPort = 3333, webPort = 8080
    static let queue: UInt16 = 7411

    static var unavailableReason: String? {
        if let reason = EndToEndTests.unavailableReason { return reason }
        if Shell.which("iptables") == nil { return "skipped: iptables is not installed (apt-get install iptables)" }
        if Shell.which("python3") == nil { return "skipped: python3 runs the stratum session and the probes" }
        return nil
    }

    /// The veth wire with the queue rule on packets entering from the namespace; the rule goes with it.
    final class QueuedGateway {
        let wire: VethPair
        private let rule: [String]

        init() throws {
            wire = try VethPair(tag: "i", mtu: 1500)
            try Shell.run(["ip", "addr", "add", "\(InlineDaemonTests.gateway)/24", "dev", wire.outside])
            for host in [InlineDaemonTests.miner, InlineDaemonTests.other] {
                try wire.run(["ip", "addr", "add", "\(host)/24", "dev", wire.peer])
            }
            rule = ["INPUT", "-i", wire.outside, "-j", "NFQUEUE", "--queue-num", String(InlineDaemonTests.queue),
                    "--queue-bypass"]
            try Shell.run(["iptables", "-I"] + rule)
        }

        /// Whether a TCP connection from `source` to the gateway's `port` opens within a second.
        func connects(from source: String, port: Int) throws -> Bool {
            let script = """
                import socket
                try:
                    socket.create_connection(("\(InlineDaemonTests.gateway)", \(port)), timeout=1,
                                             source_address=("\(source)", 0)).close(); print("open")
                except OSError:
                    print("dropped")
                """
            return try wire.run(["python3", "-c", script]).contains("open")
        }

        deinit { _ = try? Shell.run(["iptables", "-D"] + rule) }
    }

    /// A listener on the gateway's pool and web ports that accepts and ignores every connection.
    static func startListener() throws -> Process {
        try Shell.start(["python3", "-c", """
            import select, socket
            listeners = []
            for port in (\(poolPort), \(webPort)):
                s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("\(gateway)", port)); s.listen(64); listeners.append(s)
            kept = []
            while True:
                for s in select.select(listeners, [], [])[0]:
                    kept.append(s.accept()[0])
            """])
    }

    static func configuration(directory: URL, model: String) -> String {
        """
        sensor_id = "inline-test"
        state_directory = "\(directory.appendingPathComponent("state").path)"
        [capture]
        local_networks = ["\(miner)/32", "\(other)/32"]
        interval = \(1 / EndToEndTests.compression)
        [inline]
        queue = \(queue)
        policy = "block"
        block_scope = "endpoints"
        [model]
        path = "\(model)"
        [alerts]
        journald = false
        json_file = "\(directory.appendingPathComponent("alerts.json").path)"
        [control]
        socket = "\(directory.appendingPathComponent("control.sock").path)"
        group = ""
        [metrics]
        listen = ""
        """
    }

    static func coinsentryctl(_ arguments: [String], socket: String) throws -> String {
        try Shell.run([EndToEndTests.binaries.appendingPathComponent("coinsentryctl").path] + arguments
                      + ["--socket", socket])
    }

    /// Polls `condition` every 0.1 s for up to `seconds`.
    static func eventually(_ seconds: Double = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
        for _ in 0..<Int(seconds * 10) {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }

    @Test(.enabled(if: unavailableReason == nil, Comment(rawValue: unavailableReason ?? "")))
    func stratumHostIsBlockedAtOnceUnblockedOnRequestAndTrafficFlowsWhenTheDaemonDies() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-inline-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let gateway = try QueuedGateway()
        let listener = try Self.startListener()
        defer { listener.terminate() }
        let model = try EndToEndTests.compressedModel(into: directory)
        let config = directory.appendingPathComponent("coinsentry.toml").path
        try Self.configuration(directory: directory, model: model).write(toFile: config, atomically: true,
                                                                        encoding: .utf8)
        let socket = directory.appendingPathComponent("control.sock").path
        let log = directory.appendingPathComponent("coinsentryd.log").path
        var daemon = try await EndToEndTests.Daemon(config: config, socket: socket, log: log)
        #expect(try gateway.connects(from: Self.miner, port: Self.poolPort), "nothing is blocked before the session")

        // A live stratum session from the miner: subscribe and authorize, then the pool stays silent.
        let session = EndToEndTests.root.appendingPathComponent("captures/tools/session.py").path
        _ = try? gateway.wire.run(["timeout", "6", "python3", session, "connect", "stratum", "--host", Self.gateway,
                                   "--port", String(Self.poolPort), "--source", Self.miner, "--worker",
                                   "wallet9.rig-inline", "--seconds", "1"])
        let blocked = await Self.eventually {
            (try? await daemon.request(["cmd": "host", "host": .string(Self.miner)]))?["blocked"]?["scope"]?.string
                == "endpoints"
        }
        let host = try await daemon.request(["cmd": "host", "host": .string(Self.miner)])
        #expect(blocked, "the miner was not blocked: \(host.line)")
        #expect(host["verdict"]?.string == "mining" && host["rule"]?.string == "stratum")
        #expect(host["evidence"]?.array?.first?["worker"]?.string == "wallet9.rig-inline")
        #expect(host["blocked"]?["remotes"]?.array == [.string("\(Self.gateway):\(Self.poolPort)")])

        #expect(try !gateway.connects(from: Self.miner, port: Self.poolPort), "the miner's pool flow is dropped")
        #expect(try gateway.connects(from: Self.miner, port: Self.webPort), "its other traffic passes")
        #expect(try gateway.connects(from: Self.other, port: Self.poolPort), "another host's traffic passes")

        let dropped = try await daemon.request(["cmd": "stats"])["verdicts"]?["dropped"]?.number ?? 0
        #expect(dropped > 0, "the queue's verdict counters show the drops")
        #expect(try Self.coinsentryctl(["stats"], socket: socket).contains("inline verdicts: accepted"))
        let shown = try Self.coinsentryctl(["host", Self.miner], socket: socket)
        #expect(shown.contains("stratum") && shown.contains("wallet9.rig-inline") && shown.contains("blocked:"),
                "coinsentryctl host shows the evidence and the block: \(shown)")

        _ = try Self.coinsentryctl(["unblock", Self.miner], socket: socket)
        #expect(try gateway.connects(from: Self.miner, port: Self.poolPort), "unblocked")
        let alerts = try await daemon.request(["cmd": "alerts"])["alerts"]?.array ?? []
        let events = alerts.filter { $0["host"]?.string == Self.miner }.compactMap { $0["event"]?.string }
        #expect(events == ["mining", "blocked", "unblocked"], "alerts: \(alerts.map(\.line))")
        let block = alerts.first { $0["event"]?.string == "blocked" }
        #expect(block?["requested_by"]?.string == "verdict" && block?["action"]?.string == "dropped")
        #expect(block?["evidence"]?.array?.contains { $0["kind"]?.string == "stratum" } == true)
        let unblock = alerts.first { $0["event"]?.string == "unblocked" }
        #expect(unblock?["requested_by"]?.string?.contains("coinsentryctl") == true,
                "requested_by names the peer: \(unblock?.line ?? "none")")
        let json = (try? String(contentsOfFile: directory.appendingPathComponent("alerts.json").path, encoding: .utf8))
            ?? ""
        #expect(json.contains("\"event\":\"blocked\"") && json.contains("\"event\":\"unblocked\""))

        // An operator's block of all traffic outlives a restart.
        let reply = try Self.coinsentryctl(["block", Self.miner, "--all", "--json"], socket: socket)
        #expect(reply.contains("\"ok\":true"), "\(reply)")
        #expect(try !gateway.connects(from: Self.miner, port: Self.webPort))
        #expect(daemon.terminate() == 0)
        daemon = try await EndToEndTests.Daemon(config: config, socket: socket, log: log)
        let listed = try Self.coinsentryctl(["allowlist", "--json"], socket: socket)
        #expect(listed.contains("\"scope\":\"all\""), "\(listed)")
        #expect(try !gateway.connects(from: Self.miner, port: Self.webPort), "the block survived the restart")

        // Killed outright: the queue has no listener and the rule's bypass lets everything through.
        kill(daemon.process.processIdentifier, SIGKILL)
        daemon.process.waitUntilExit()
        #expect(try gateway.connects(from: Self.miner, port: Self.webPort), "traffic flows without the daemon")
        #expect(try gateway.connects(from: Self.miner, port: Self.poolPort))
    }
}
