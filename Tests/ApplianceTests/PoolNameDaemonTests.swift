import Control
import Foundation
import TestSupport
import Testing

/// Pool names in the running daemon: a miner's TLS session recorded here (`captures/pool/stratum-tls-heldout.pcap`,
/// SNI `stratum.braiins.com`) replayed onto a real interface. With a pool-domain list that lacks the pool nothing
/// happens; after the list gains it and SIGHUP re-reads it, the same traffic raises a *mining* alert that names the
/// `pool-name` evidence (the test sets `verdict.pool_name_connection_seconds = 0`, so the TLS session with the pool's
/// name as SNI decides at once; the shipped rule waits until the session has lived two minutes, and the replay here
/// runs at top speed).
@Suite(.serialized) struct PoolNameDaemonTests {
    static let recording = EndToEndTests.root.appendingPathComponent("captures/pool/stratum-tls-heldout.pcap").path
    static let miner = "127.0.0.2"

    static func configuration(interface: String, directory: URL, domains: String, sensor: String,
                              syslogPort: UInt16) -> String {
        """
        sensor_id = "\(sensor)"
        state_directory = "\(directory.appendingPathComponent("state").path)"
        [capture]
        interfaces = ["\(interface)"]
        local_networks = ["\(miner)/32"]
        pool_domain_files = ["\(domains)"]
        [model]
        path = "\(EndToEndTests.root.appendingPathComponent("etc/coinsentry/model.json").path)"
        [verdict]
        pool_name_connection_seconds = 0
        [alerts]
        journald = true
        json_file = "\(directory.appendingPathComponent("alerts.json").path)"
        syslog = ["udp:127.0.0.1:\(syslogPort)"]
        [control]
        socket = "\(directory.appendingPathComponent("control.sock").path)"
        group = ""
        [metrics]
        listen = ""
        """
    }

    @Test(.enabled(if: EndToEndTests.unavailableReason == nil,
                   Comment(rawValue: EndToEndTests.unavailableReason ?? "")))
    func aPoolNameAddedOnSIGHUPIsFoundAndNamedInTheAlert() async throws {
        try await JournaldHarness.ensureRunning()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-names-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let wire = try VethPair(tag: "d")
        let syslog = try DatagramReceiver()
        let sensor = "names-\(UUID().uuidString.prefix(8))"
        let domains = directory.appendingPathComponent("pools.txt").path
        try "# our list\nexample-pool.invalid\n".write(toFile: domains, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("coinsentry.toml").path
        try Self.configuration(interface: wire.outside, directory: directory, domains: domains, sensor: sensor,
                               syslogPort: syslog.port).write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try await EndToEndTests.Daemon(config: config,
                                              socket: directory.appendingPathComponent("control.sock").path,
                                              log: directory.appendingPathComponent("coinsentryd.log").path)

        try wire.run(["tcpreplay", "--topspeed", "--intf1=\(wire.peer)", Self.recording])
        try await Task.sleep(for: .seconds(2))
        let before = try await daemon.request(["cmd": "host", "host": .string(Self.miner)])
        #expect(before["verdict"]?.string != "mining")
        #expect(!(before["evidence"]?.array ?? []).contains { $0["kind"]?.string == "pool-name" })

        // A list with a bad line loads without it, and the line is reported with its file and line; then the good
        // list is taken.
        try "stratum..braiins.com\n".write(toFile: domains, atomically: true, encoding: .utf8)
        kill(daemon.process.processIdentifier, SIGHUP)
        try await Task.sleep(for: .seconds(1))
        try "# our list\nexample-pool.invalid\nbraiins.com\n".write(toFile: domains, atomically: true, encoding: .utf8)
        kill(daemon.process.processIdentifier, SIGHUP)
        try await Task.sleep(for: .seconds(1))
        try wire.run(["tcpreplay", "--topspeed", "--intf1=\(wire.peer)", Self.recording])

        var mining = [JSONValue]()
        for _ in 0..<50 where mining.isEmpty {
            try await Task.sleep(for: .milliseconds(200))
            mining = (try await daemon.request(["cmd": "alerts"])["alerts"]?.array ?? [])
                .filter { $0["host"]?.string == Self.miner && $0["event"]?.string == "mining" }
        }
        #expect(mining.count == 1, "mining alerts: \(mining.map(\.line))")
        let evidence = mining.first?["evidence"]?.array ?? []
        #expect(evidence.contains { $0["kind"]?.string == "pool-name" && $0["name"]?.string == "stratum.braiins.com"
            && $0["source"]?.string == "sni" }, "evidence: \(evidence.map(\.line))")
        #expect(evidence.contains { $0["kind"]?.string == "rule" && $0["name"]?.string == "pool-name-connection" })
        // The alert says what was seen and what to do, in every sink (here the JSON lines file).
        let json = try String(contentsOfFile: directory.appendingPathComponent("alerts.json").path, encoding: .utf8)
        #expect(json.contains("pool name stratum.braiins.com in TLS SNI") && json.contains("Find and stop the miner"),
                "\(json)")
        #expect(daemon.terminate() == 0)

        // SIGTERM and a restart: the evidence comes back from the store, the host is still mining, no second alert.
        let again = try await EndToEndTests.Daemon(config: config, socket: directory.appendingPathComponent("control.sock").path,
                                             log: directory.appendingPathComponent("coinsentryd-restarted.log").path)
        let restored = try await again.request(["cmd": "host", "host": .string(Self.miner)])
        #expect(restored["level"]?.string == "mining", "\(restored.line)")
        #expect((restored["evidence"]?.array ?? []).contains { $0["kind"]?.string == "pool-name" },
                "evidence after the restart: \(restored["evidence"].map(\.line) ?? "none")")
        let raised = (try await again.request(["cmd": "alerts", "event": "mining"])["alerts"]?.array ?? [])
        #expect(raised.count == 1, "\(raised.map(\.line))")
        #expect(again.terminate() == 0)

        let log = (try? String(contentsOfFile: directory.appendingPathComponent("coinsentryd.log").path,
                               encoding: .utf8)) ?? ""
        #expect(log.contains("pool-domain list line skipped") && log.contains("pools.txt:1"), "log: \(log)")
        var frames = [String]()
        while let frame = syslog.receive(timeout: .seconds(1)) { frames.append(frame) }
        let counts = try EndToEndTests.sinkCounts(host: Self.miner, sensor: sensor,
                                                  jsonFile: directory.appendingPathComponent("alerts.json").path,
                                                  syslog: frames)
        #expect(counts.journal == 1 && counts.syslog == 1 && counts.json == 1, "journal, syslog, JSON: \(counts)")
    }
}
