import Capture
import Control
import Foundation
import TestSupport
import Testing
import Traces

/// The appliance as an operator runs it: coinsentryd on a real interface (a veth pair in a namespace), fed with real
/// traffic profiles (a CPU miner and a web browser from ../shared/data/nypto) rendered into packets and replayed with
/// tcpreplay (at a real-time priority: `VethPair.replay`); alerts read back through every sink and coinsentryctl;
/// stopped with SIGTERM and started again.
///
/// Time is compressed tenfold and consistently: the sensor counts 0.1 s intervals, each holding one second of the
/// original traffic, and the test model is the shipped one with its window settings expressed in those intervals
/// (features depend on interval counts only, so it decides exactly as the shipped model would at 1 s).
@Suite(.serialized) struct EndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binaries = root.appendingPathComponent(".build/debug")
    static let compression = 10.0
    static let miner = "10.20.0.5"
    static let browser = "10.20.0.6"

    static var unavailableReason: String? {
        if let reason = VethPair.unavailableReason { return reason }
        if Shell.which("tcpreplay") == nil { return "skipped: tcpreplay is not installed" }
        if !SharedData.isPresent { return SharedData.absentReason }
        if let reason = JournaldHarness.unavailableReason { return reason }
        for tool in ["coinsentryd", "coinsentryctl"]
        where !FileManager.default.isExecutableFile(atPath: binaries.appendingPathComponent(tool).path) {
            return "skipped: \(tool) is not built (swift build first)"
        }
        return nil
    }

    /// The shipped model with every duration divided by the compression factor.
    static func compressedModel(into directory: URL) throws -> String {
        let data = try Data(contentsOf: root.appendingPathComponent("etc/coinsentry/model.json"))
        guard var model = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              var windows = model["windows"] as? [String: Any] else { throw CocoaError(.fileReadCorruptFile) }
        windows["intervalSeconds"] = 1 / compression
        windows["slideSeconds"] = (windows["slideSeconds"] as! Double) / compression
        let lengths = windows["windowSeconds"] as! [Double]
        windows["windowSeconds"] = lengths.map { $0 / compression }
        model["windows"] = windows
        // Feature names carry the window length in seconds (`w120s.…`): rename them as the scaled windows are named.
        var features = model["features"] as! [String]
        for length in lengths {
            let old = "w\(Self.seconds(length))s.", new = "w\(Self.seconds(length / compression))s."
            features = features.map { $0.hasPrefix(old) ? new + $0.dropFirst(old.count) : $0 }
        }
        model["features"] = features
        let path = directory.appendingPathComponent("model.json").path
        try JSONSerialization.data(withJSONObject: model).write(to: URL(fileURLWithPath: path))
        return path
    }

    private static func seconds(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }

    /// Both hosts' first `seconds` of traffic, one original second per compressed interval, in one capture file.
    static func renderTraffic(into directory: URL, seconds: Int, name: String = "traffic",
                              minerOnly: Bool = false) throws -> String {
        let width = Int64(1_000_000 / compression)
        let start = Int64(Date().timeIntervalSince1970 * 1_000_000) / width * width
        var frames = [TraceRenderer.Frame]()
        for (trace, host, remote, port) in [("datasets/mining_2t_nicehash.dat", miner, "203.0.113.7", UInt16(3333)),
                                            ("datasets/browsing.dat", browser, "198.51.100.9", UInt16(443))]
        where !minerOnly || host == miner {
            let rows = try TraceFile.read(SharedData.path("nypto/\(trace)"), interval: 0.5).resampled(to: 1).rows
            let renderer = try TraceRenderer(local: Array(HostAddress(host)!.bytes.suffix(4)),
                                             remote: Array(HostAddress(remote)!.bytes.suffix(4)), remotePort: port,
                                             intervalMicroseconds: width, startMicroseconds: start)
            try renderer.render(Array(rows.prefix(seconds))) { frames.append($0) }
        }
        frames.sort { $0.microseconds < $1.microseconds }
        let path = directory.appendingPathComponent("\(name).pcap").path
        let writer = try CaptureFileWriter(path: path, linkType: .ethernet)
        for frame in frames { writer.write(frame.bytes, microseconds: frame.microseconds) }
        try writer.close()
        return path
    }

    static func configuration(interface: String, directory: URL, model: String, sensor: String, syslogPort: UInt16,
                              reminderSeconds: Double = 0, episodeHoldSeconds: Double = 1800,
                              metricsPort: Int = 19810) -> String {
        """
        sensor_id = "\(sensor)"
        state_directory = "\(directory.appendingPathComponent("state").path)"
        [capture]
        interfaces = ["\(interface)"]
        local_networks = ["10.20.0.0/16"]
        interval = \(1 / compression)
        [model]
        path = "\(model)"
        [alerts]
        reminder_seconds = \(reminderSeconds)
        episode_hold_seconds = \(episodeHoldSeconds)
        suspect_outputs = ["journald", "syslog", "json"]
        journald = true
        json_file = "\(directory.appendingPathComponent("alerts.json").path)"
        syslog = ["udp:127.0.0.1:\(syslogPort)"]
        [metrics]
        listen = "127.0.0.1:\(metricsPort)"
        [control]
        socket = "\(directory.appendingPathComponent("control.sock").path)"
        group = ""
        """
    }

    /// The daemon's `/metrics` text, fetched with curl.
    static func scrape(port: Int = 19810) throws -> String {
        try Shell.run(["curl", "-sf", "http://127.0.0.1:\(port)/metrics"])
    }

    /// The value of one series in an exposition (`name{labels} value`), or nil.
    static func sample(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }
            .flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }
    }

    /// The sum of the series of `name` whose labels begin with `labels` (`level="suspect"`), or nil for none.
    static func sum(_ text: String, _ name: String, labelsFrom labels: String) -> Double? {
        let values = text.split(separator: "\n").filter { $0.hasPrefix("\(name){\(labels)") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
        return values.isEmpty ? nil : values.reduce(0, +)
    }

    final class Daemon {
        let process: Process
        let socket: String

        init(config: String, socket: String, log: String) async throws {
            process = Process()
            process.executableURL = EndToEndTests.binaries.appendingPathComponent("coinsentryd")
            process.arguments = ["--config", config]
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            output.seekToEndOfFile()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            self.socket = socket
            for _ in 0..<100 {
                if (try? await ControlClient.request(["cmd": "status"], socket: socket))?["ok"]?.bool == true { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            process.terminate()
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw ControlError(.notRunning, "coinsentryd did not open its control socket within 10 s: \(text)")
        }

        func request(_ request: JSONValue) async throws -> JSONValue { try await ControlClient.request(request, socket: socket) }

        /// SIGTERM, then the exit status.
        func terminate() -> Int32 {
            process.terminate()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// The alerts of kind `event` for `host` that each sink received.
    static func sinkCounts(_ event: String = "mining", host: String, sensor: String, jsonFile: String,
                             syslog: [String]) throws -> (journal: Int, syslog: Int, json: Int) {
        let journal = try JournaldHarness.entries(["COINSENTRY_SENSOR=\(sensor)", "COINSENTRY_HOST=\(host)",
                                                   "COINSENTRY_EVENT=\(event)"]).count
        let lines = ((try? String(contentsOfFile: jsonFile, encoding: .utf8)) ?? "").split(separator: "\n")
        let json = lines.filter { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let record = object["coinsentry"] as? [String: Any] else { return false }
            return object["src_ip"] as? String == host && record["event"] as? String == event
        }.count
        let frames = syslog.filter { $0.contains("host=\"\(host)\"") && $0.contains("event=\"\(event)\"") }.count
        return (journal, frames, json)
    }

    @Test(.enabled(if: unavailableReason == nil, Comment(rawValue: unavailableReason ?? "")))
    func minerRaisesOneAlertBrowserNoneAndRestartKeepsIt() async throws {
        try await JournaldHarness.ensureRunning()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-e2e-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let wire = try VethPair(tag: "e")
        let syslog = try DatagramReceiver()
        let sensor = "e2e-\(UUID().uuidString.prefix(8))"
        let model = try Self.compressedModel(into: directory)
        let renderedSeconds = 600
        let traffic = try Self.renderTraffic(into: directory, seconds: renderedSeconds)
        let config = directory.appendingPathComponent("coinsentry.toml").path
        try Self.configuration(interface: wire.outside, directory: directory, model: model, sensor: sensor,
                               syslogPort: syslog.port).write(toFile: config, atomically: true, encoding: .utf8)
        let socket = directory.appendingPathComponent("control.sock").path
        let jsonFile = directory.appendingPathComponent("alerts.json").path
        let log = directory.appendingPathComponent("coinsentryd.log").path

        var daemon = try await Daemon(config: config, socket: socket, log: log)
        let scrapedBefore = try Self.scrape()
        let replayed = try wire.replay(traffic)
        // The verdicts below are those of the rendered traffic as long as it went out near its own pace; a machine too
        // busy to keep it stretches the traffic, so the pace is named beside every verdict (not a condition itself:
        // the verdicts are what the test is about, and a slow replay that keeps them is no fault).
        let pace = "\(Double(renderedSeconds) / Self.compression) s of traffic replayed in \(replayed) s"
        try await Task.sleep(for: .seconds(1))

        let alerts = try await daemon.request(["cmd": "alerts"])["alerts"]?.array ?? []
        // The rendered trace carries no protocol or pool evidence: the statistics alone make the miner a suspect.
        let minerAlerts = alerts.filter { $0["host"]?.string == Self.miner && $0["event"]?.string == "suspect" }
        #expect(minerAlerts.count == 1, "\(pace); alerts: \(alerts.map(\.line))")
        #expect(minerAlerts.first?["level"]?.string == "suspect" && minerAlerts.first?["rule"]?.string == "vote")
        #expect(!alerts.contains { $0["event"]?.string == "mining" }, "no mining alert on the vote alone")
        let browserStatus = try await daemon.request(["cmd": "host", "host": .string(Self.browser)])
        #expect(!alerts.contains { $0["host"]?.string == Self.browser }, "\(pace); browser: \(browserStatus.line)")
        let miner = try await daemon.request(["cmd": "host", "host": .string(Self.miner)])
        #expect(miner["verdict"]?.string == "suspect" && miner["level"]?.string == "suspect", "\(pace); \(miner.line)")
        // The shipped model's class block names a mining class for the rendered CPU miner.
        #expect(miner["class_is_mining"] == .bool(true), "class: \(miner["class"].map(\.line) ?? "none")")
        #expect(miner["busiest_remotes"]?.array?.first?["remote"]?.string == "203.0.113.7:3333")
        let loaded = try await daemon.request(["cmd": "model"])
        #expect(miner["features"]?.object?.count == loaded["features"]?.number.map { Int($0) })
        // A reload that changes nothing (SIGHUP, then coinsentryctl reload) keeps every host's windows and vote, and
        // each is an audit record.
        let windows = miner["windows"]?.number
        kill(daemon.process.processIdentifier, SIGHUP)
        try await Task.sleep(for: .milliseconds(500))
        let reloaded = try await daemon.request(["cmd": "reload"])
        #expect(reloaded["ok"]?.bool == true && reloaded["model_changed"]?.bool == false, "\(reloaded.line)")
        let afterReload = try await daemon.request(["cmd": "host", "host": .string(Self.miner)])
        // (Windows still close while the capture's last traffic ages out of the window, so the count may grow; a vote
        // that restarted would have dropped to the windows since the reload.)
        #expect((afterReload["windows"]?.number ?? 0) >= (windows ?? 1) && afterReload["level"]?.string == "suspect",
                "windows \(windows ?? -1) before the reloads, \(afterReload["windows"]?.number ?? -1) after")
        let audits = (try await daemon.request(["cmd": "alerts", "event": "audit"])["alerts"]?.array ?? [])
        #expect(audits.count == 2 && audits.allSatisfy { $0["verdict"]?.string == "reload" },
                "audit: \(audits.map(\.line))")
        #expect(audits.first?["requested_by"]?.string == "SIGHUP")
        // A broken configuration refuses the whole reload (non-zero from coinsentryctl) and changes nothing.
        let good = try String(contentsOfFile: config, encoding: .utf8)
        try (good + "\n[capture]\nbogus = 1\n").write(toFile: config, atomically: true, encoding: .utf8)
        let refused = try Shell.start([Self.binaries.appendingPathComponent("coinsentryctl").path, "reload",
                                       "--socket", socket])
        let refusal = String(decoding: refused.standardOutputData(), as: UTF8.self)
        refused.waitUntilExit()
        #expect(refused.terminationStatus == 1 && refusal.contains("refused"), "\(refusal)")
        try good.write(toFile: config, atomically: true, encoding: .utf8)

        // The operator's commands, as an operator types them.
        let ctl = { (arguments: [String]) throws -> String in
            try InlineDaemonTests.coinsentryctl(arguments, socket: socket)
        }
        let listed = try ctl(["alerts", "--since", "1h", "--level", "suspect"])
        #expect(listed.contains(Self.miner) && listed.contains("suspect") && !listed.contains(Self.browser), "\(listed)")
        let alertID = try #require(alerts.first { $0["host"]?.string == Self.miner && $0["event"]?.string == "suspect" }?["id"]?
            .number.map { Int($0) })
        #expect(try ctl(["ack", "\(alertID)"]).contains("acknowledged by uid=0"))
        #expect(try ctl(["hosts", "--level", "suspect"]).contains(Self.miner))
        let explained = try ctl(["host", Self.miner])
        #expect(explained.contains("WHAT IT SAW OR NEEDS") && explained.contains("no clear-text mining protocol seen"),
                "\(explained)")
        #expect(try ctl(["benign", Self.browser, "--for", "1d", "--reason", "the test's browser"])
            .contains("marked benign"))
        #expect(try ctl(["benign", "--list"]).contains("the test's browser"))
        #expect(try ctl(["stats"]).contains("windows below the packet floor"))
        // Prometheus metrics: names, types, and counters that moved with the traffic.
        let scraped = try Self.scrape()
        let interface = "interface=\"\(wire.outside)\""
        #expect(scraped.contains("# TYPE coinsentry_packets_total counter"))
        #expect(scraped.contains("# TYPE coinsentry_hosts gauge"))
        let packetsBefore = Self.sample(scrapedBefore, "coinsentry_packets_total{\(interface)}") ?? 0
        let packetsAfter = try #require(Self.sample(scraped, "coinsentry_packets_total{\(interface)}"))
        #expect(packetsAfter > packetsBefore + 1000, "packets \(packetsBefore) -> \(packetsAfter)")
        #expect((Self.sample(scraped, "coinsentry_windows_scored_total{\(interface)}") ?? 0) > 0)
        #expect(Self.sum(scraped, "coinsentry_hosts", labelsFrom: "level=\"suspect\"") == 1)
        #expect(Self.sum(scraped, "coinsentry_alerts_total", labelsFrom: "event=\"suspect\",level=\"suspect\",rule=")
                    == 1, "\(scraped)")
        #expect(scraped.contains("coinsentry_build_info{version="))
        #expect(scraped.contains("# TYPE coinsentry_window_scoring_seconds histogram"))
        #expect((Self.sample(scraped, "coinsentry_window_scoring_seconds_count") ?? 0) > 0)
        #expect(try Shell.start(["curl", "-sf", "http://127.0.0.1:19810/other"]).waitForStatus() != 0, "404 elsewhere")
        let statistics = try await daemon.request(["cmd": "stats"])["interfaces"]?.array?.first?["counters"]
        #expect(statistics?["kernel_dropped"]?.number == 0)
        #expect(statistics?["malformed"]?.number == 0)
        #expect(daemon.terminate() == 0)

        var frames = [String]()
        while let frame = syslog.receive(timeout: .seconds(1)) { frames.append(frame) }
        let first = try Self.sinkCounts("suspect", host: Self.miner, sensor: sensor, jsonFile: jsonFile, syslog: frames)
        #expect(first.journal == 1 && first.syslog == 1 && first.json == 1, "journal, syslog, JSON: \(first)")
        let browser = try Self.sinkCounts("suspect", host: Self.browser, sensor: sensor, jsonFile: jsonFile,
                                          syslog: frames)
        #expect(browser.journal == 0 && browser.syslog == 0 && browser.json == 0)

        // Restarted, the sensor still knows the open episode: the miner, suspect again, raises nothing new.
        daemon = try await Daemon(config: config, socket: socket, log: log)
        let again = try Self.renderTraffic(into: directory, seconds: 400, name: "again")
        try wire.replay(again)
        try await Task.sleep(for: .seconds(1))
        let after = try await daemon.request(["cmd": "alerts"])["alerts"]?.array ?? []
        #expect(after.filter { $0["host"]?.string == Self.miner && $0["event"]?.string == "suspect" }.count == 1)
        let minerAgain = try await daemon.request(["cmd": "host", "host": .string(Self.miner)])
        #expect(minerAgain["verdict"]?.string == "suspect")
        #expect(minerAgain["open_alert"]?.bool == true)
        #expect(daemon.terminate() == 0)
        while let frame = syslog.receive(timeout: .seconds(1)) { frames.append(frame) }
        let second = try Self.sinkCounts("suspect", host: Self.miner, sensor: sensor, jsonFile: jsonFile,
                                         syslog: frames)
        #expect(second.journal == 1 && second.syslog == 1 && second.json == 1, "journal, syslog, JSON: \(second)")
    }
}
