import Alerting
import BitcoinData
import ChainTestSupport
import Control
import Foundation
import Testing
import TestSupport

/// `coinsentry-chaind` as a process: watchlist alerts to journald, syslog and a JSON file (once, across restarts),
/// `coinsentryctl chain ...` against it, and the systemd side (READY, STATUS, WATCHDOG, SIGHUP reload, SIGTERM).
@Suite(.serialized, .enabled(if: ChainDaemonProcess.unavailableReason == nil,
                             Comment(rawValue: ChainDaemonProcess.unavailableReason ?? "")))
struct ChainDaemonTests {
    /// A directory with 15 regtest blocks written, the pool address of a 30-block scenario watched, and a daemon
    /// configuration cycling every half second.
    struct Setup {
        let directory: TemporaryDirectory
        let scenario = BehaviourChain(seed: 3, blockCount: 30)
        let writer: BlockFileWriter
        let watched: String
        let sensor = "chaind-\(UUID().uuidString.prefix(8))"
        var config: String { directory.file("chain.toml") }
        var socket: String { directory.file("chain.sock") }

        init(alerts: String = "journald = false") throws {
            directory = try TemporaryDirectory()
            writer = try BlockFileWriter(directory: directory.file("blocks"), network: .regtest)
            try writer.write(Array(scenario.blocks.prefix(15)))
            watched = try #require(scenario.labels.first { $0.label == "mining_pool" }).address
            try "# watched by the test\n\(watched)\n".write(toFile: directory.file("watch.txt"), atomically: true,
                                                              encoding: .utf8)
            try configuration(alerts: alerts).write(toFile: config, atomically: true, encoding: .utf8)
        }

        /// The port `/metrics` is served on in these tests.
        static let metricsPort = 19821

        func configuration(alerts: String, interval: String = "0.5") -> String {
            configurationText(blocks: directory.file("blocks"), directory: directory,
                              metrics: "127.0.0.1:\(Self.metricsPort)")
                .replacingOccurrences(of: "interval_seconds = 5", with: "interval_seconds = \(interval)")
                .replacingOccurrences(of: "sensor_id = \"test-sensor\"", with: "sensor_id = \"\(sensor)\"")
                .replacingOccurrences(of: "journald = false", with: alerts)
        }

        func start(environment: [String: String] = [:]) throws -> ChainDaemonProcess {
            try ChainDaemonProcess(config: config, socket: socket, log: directory.file("chaind.log"),
                                   environment: environment)
        }
    }

    static let watchlistMessageID = AlertRecord.Event.watchlist.messageID

    @Test func watchlistAlertsReachJournaldSyslogAndJSONOnceAcrossRestarts() async throws {
        let journal = JournaldHarness.unavailableReason == nil
        if journal { try await JournaldHarness.ensureRunning() }
        let syslog = try DatagramReceiver()
        let setup = try Setup(alerts: "journald = \(journal)\nsyslog = [\"udp:127.0.0.1:\(syslog.port)\"]")
        let journalFilter = ["MESSAGE_ID=\(Self.watchlistMessageID)", "COINSENTRY_SENSOR=\(setup.sensor)"]

        var daemon = try setup.start()
        try await daemon.waitForTip(14)
        #expect(await daemon.request(["cmd": "status"])?["alerts"]?.number == 0, "blocks before the first cycle are history")
        try setup.writer.write(setup.scenario.blocks)
        try await daemon.waitForTip(29)
        try await daemon.wait("watchlist alerts") { (await daemon.request(["cmd": "status"])?["alerts"]?.number ?? 0) >= 15 }
        let raised = Int(await daemon.request(["cmd": "status"])?["alerts"]?.number ?? 0)

        // The same figures through /metrics, as Prometheus scrapes them (a cycle's figures land as it ends).
        var scraped = ""
        func sample(_ series: String) -> Double? {
            scraped.split(separator: "\n").first { $0.hasPrefix(series + " ") }
                .flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }
        }
        try await daemon.wait("the cycle's figures on /metrics") {
            scraped = (try? Shell.run(["curl", "-sf", "http://127.0.0.1:\(Setup.metricsPort)/metrics"])) ?? ""
            return sample("coinsentry_chain_height") == 29
        }
        #expect(sample("coinsentry_chain_alerts_total") == Double(raised))
        #expect(sample("coinsentry_chain_height") == 29)
        #expect(sample("coinsentry_chain_blocks_ingested_total") == 30)
        #expect((sample("coinsentry_chain_cycles_total{result=\"ok\"}") ?? 0) >= 2)
        #expect(sample("coinsentry_chain_watched_addresses") == 1)
        #expect(scraped.contains("# TYPE coinsentry_chain_cycle_seconds histogram"))
        #expect(scraped.contains("coinsentry_chain_sink_delivered_total{sink=\"json "))

        let lines = try await jsonLines(setup.directory.file("alerts.jsonl"), atLeast: raised)
        #expect(lines.count == raised)
        #expect(lines.allSatisfy { ($0["coinsentry"] as? [String: Any])?["host"] as? String == setup.watched })
        var messages = [String]()
        while messages.count < raised, let message = syslog.receive(timeout: .seconds(10)) { messages.append(message) }
        #expect(messages.count == raised)
        #expect(messages.allSatisfy { $0.contains("coinsentry-chaind") && $0.contains(setup.watched) })
        if journal {
            var entries = [[String: Any]]()
            try await daemon.wait("journal entries") {
                entries = (try? JournaldHarness.entries(journalFilter)) ?? []
                return entries.count >= raised
            }
            #expect(entries.count == raised)
            #expect(entries.allSatisfy {
                $0["COINSENTRY_HOST"] as? String == setup.watched && $0["COINSENTRY_VERDICT"] as? String == "active"
                    && $0["SYSLOG_IDENTIFIER"] as? String == "coinsentry-chaind"
                    && $0["COINSENTRY_EVENT"] as? String == "watchlist"
            })
        }
        #expect(daemon.stop() == 0)

        // A restart on the same store and files: the monitor's saved position means nothing is raised again.
        daemon = try setup.start()
        try await daemon.wait("a cycle after the restart") {
            await daemon.request(["cmd": "status"])?["last_cycle"]?.string != nil
        }
        #expect(await daemon.request(["cmd": "status"])?["alerts"]?.number == 0)
        #expect(daemon.stop() == 0)
        #expect(try await jsonLines(setup.directory.file("alerts.jsonl"), atLeast: 0).count == raised)
        #expect(syslog.receive(timeout: .seconds(1)) == nil)
        if journal { #expect(try JournaldHarness.entries(journalFilter).count == raised) }
    }

    @Test func coinsentryctlChainCommandsAskTheRunningSidecar() async throws {
        let setup = try Setup()
        let daemon = try setup.start()
        try await daemon.waitForTip(14)
        let socket = ["--socket", setup.socket]

        let status = try ChainDaemonProcess.control(["chain", "status"] + socket)
        #expect(status.status == 0)
        #expect(status.output.contains("tip_height") && status.output.contains("14"), "\(status.output)")
        let json = try ChainDaemonProcess.control(["chain", "status", "--json"] + socket)
        #expect(try JSONValue.parse(Data(json.output.utf8))["tip_height"]?.number == 14)

        let address = try ChainDaemonProcess.control(["chain", "address", setup.watched] + socket)
        #expect(address.status == 0)
        #expect(address.output.contains("coinbase_share") && address.output.contains("watched"), "\(address.output)")
        let unknown = try ChainDaemonProcess.control(["chain", "address", "bcrt1qnothere"] + socket)
        #expect(unknown.status == 1)
        #expect(unknown.error.contains("not in the chain database"), "\(unknown.error)")

        let patterns = try ChainDaemonProcess.control(["chain", "patterns", "--json"] + socket)
        #expect(try JSONValue.parse(Data(patterns.output.utf8))["patterns"]?.array != nil)
        #expect(try ChainDaemonProcess.control(["chain", "patterns"] + socket).output.contains("OCCURRENCES"))

        let other = try #require(setup.scenario.labels.first { $0.label == "wallet" }).address
        let watch = try ChainDaemonProcess.control(["chain", "watch", other] + socket)
        #expect(watch.status == 0 && watch.output.contains("watching \(other) (2 addresses watched)"), "\(watch)")
        let list = try ChainDaemonProcess.control(["chain", "watchlist", "--json"] + socket)
        #expect(try JSONValue.parse(Data(list.output.utf8))["addresses"]?.array?.compactMap(\.string)
                == [setup.watched, other].sorted())
        #expect(try ChainDaemonProcess.control(["chain", "unwatch", other] + socket).output
                .contains("no longer watching \(other)"))
        let table = try ChainDaemonProcess.control(["chain", "watchlist"] + socket)
        #expect(table.output.contains(setup.watched) && !table.output.contains(other), "\(table.output)")
        #expect(try String(contentsOfFile: setup.directory.file("watch.txt"), encoding: .utf8)
                == "# watched by the test\n\(setup.watched)\n")
        let invalid = try ChainDaemonProcess.control(["chain", "watch", "1notanaddress"] + socket)
        #expect(invalid.status == 1 && invalid.error.contains("is not a regtest address"), "\(invalid.error)")

        let absent = try ChainDaemonProcess.control(["chain", "status", "--socket", setup.directory.file("no.sock")])
        #expect(absent.status == 3)
        #expect(absent.error.contains("coinsentry-chaind is not running"), "\(absent.error)")
        #expect(try ChainDaemonProcess.control(["chain", "--help"]).output.contains("unwatch"))
        #expect(daemon.stop() == 0)
    }

    @Test func checkValidatesAndABadFileExitsWithEXCONFIGNamingTheKey() throws {
        let setup = try Setup()
        func chaind(_ arguments: [String]) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = ChainDaemonProcess.binaries.appendingPathComponent("coinsentry-chaind")
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: output, as: UTF8.self))
        }
        let valid = try chaind(["--config", setup.config, "--check"])
        #expect(valid.status == 0 && valid.output.contains("is valid: regtest from block files"), "\(valid.output)")
        try setup.configuration(alerts: "journald = false\nsyslog = \"udp:127.0.0.1:514\"")
            .write(toFile: setup.config, atomically: true, encoding: .utf8)
        let invalid = try chaind(["--config", setup.config, "--check"])
        #expect(invalid.status == 78)
        #expect(invalid.output.contains("[alerts] syslog must be a list of strings"), "\(invalid.output)")
        #expect(try chaind(["--config", setup.config]).status == 78, "the daemon refuses to start on it too")
        #expect(try chaind(["--help"]).output.contains("SIGHUP"))
    }

    @Test func daemonNotifiesSystemdAndReloadsOnSIGHUPRefusingABadFile() async throws {
        let setup = try Setup()
        let notifySocket = setup.directory.file("notify")
        let notifications = try DatagramReceiver(unixPath: notifySocket)
        let daemon = try setup.start(environment: ["NOTIFY_SOCKET": notifySocket, "WATCHDOG_USEC": "2000000"])
        var seen = [String]()
        func collect(until condition: ([String]) -> Bool) {
            let deadline = Date().addingTimeInterval(30)
            while !condition(seen), Date() < deadline, let message = notifications.receive(timeout: .seconds(2)) {
                seen.append(message)
            }
        }
        collect { messages in
            messages.contains("READY=1") && messages.contains { $0.hasPrefix("STATUS=height 14,") }
                && messages.filter { $0 == "WATCHDOG=1" }.count >= 2
        }
        #expect(seen.first == "READY=1", "READY=1 comes once the store is open, before any cycle: \(seen)")
        let statusLine = try #require(seen.last { $0.hasPrefix("STATUS=height 14,") }, "\(seen)")
        #expect(statusLine.contains("transactions") && statusLine.contains("addresses")
                && statusLine.contains("last block 20"), "\(statusLine)")
        #expect(seen.filter { $0 == "WATCHDOG=1" }.count >= 2)

        /// SIGHUP, then waits for this reload's RELOADING=1 and the READY=1 after it (older messages drained first).
        func reload() {
            while notifications.receive(timeout: .milliseconds(300)) != nil {}
            seen.removeAll()
            kill(daemon.process.processIdentifier, SIGHUP)
            collect { messages in
                guard let reloading = messages.firstIndex(of: "RELOADING=1") else { return false }
                return messages[reloading...].contains("READY=1")
            }
            #expect(seen.contains("RELOADING=1"), "\(seen)")
        }
        let good = try String(contentsOfFile: setup.config, encoding: .utf8)
        try (good + "\nnot toml [").write(toFile: setup.config, atomically: true, encoding: .utf8)
        reload()
        try good.replacingOccurrences(of: "journald = false", with: "jornald = false")
            .write(toFile: setup.config, atomically: true, encoding: .utf8)
        reload()
        #expect(daemon.process.isRunning)
        #expect(daemon.logText.contains("[alerts] jornald is not a known key"), "\(daemon.logText.suffix(1500))")
        #expect(daemon.logText.components(separatedBy: "configuration refused; the running one stays").count == 3)
        #expect(await daemon.request(["cmd": "status"])?["interval_seconds"]?.number == 0.5)
        #expect(await daemon.request(["cmd": "status"])?["watched"]?.number == 1)

        let other = try #require(setup.scenario.labels.first { $0.label == "wallet" }).address
        try "\(setup.watched)\n\(other)\n".write(toFile: setup.directory.file("watch2.txt"), atomically: true,
                                                 encoding: .utf8)
        try setup.configuration(alerts: "journald = false", interval: "0.7")
            .replacingOccurrences(of: "watch.txt", with: "watch2.txt")
            .write(toFile: setup.config, atomically: true, encoding: .utf8)
        reload()
        #expect(await daemon.request(["cmd": "status"])?["interval_seconds"]?.number == 0.7)
        #expect(await daemon.request(["cmd": "status"])?["watched"]?.number == 2)
        #expect(daemon.logText.contains("configuration reloaded"))

        #expect(daemon.stop() == 0)
        collect { $0.contains("STOPPING=1") }
        #expect(seen.contains("STOPPING=1"))
    }
}
