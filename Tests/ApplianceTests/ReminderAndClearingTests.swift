import Control
import Foundation
import TestSupport
import Testing

/// The rest of an alert's life in the running daemon: while a host stays *mining* the configured reminder repeats it,
/// and when the host goes quiet its verdict clears with exactly one `cleared` alert, in every sink. Same machinery
/// and tenfold time compression as `EndToEndTests` (a 3 s reminder here is 30 s of the original traffic).
@Suite(.serialized) struct ReminderAndClearingTests {
    @Test(.enabled(if: EndToEndTests.unavailableReason == nil,
                   Comment(rawValue: EndToEndTests.unavailableReason ?? "")))
    func minerIsRemindedWhileMiningAndClearsOnceWhenQuiet() async throws {
        try await JournaldHarness.ensureRunning()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-clear-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let wire = try VethPair(tag: "r")
        let syslog = try DatagramReceiver()
        let sensor = "clear-\(UUID().uuidString.prefix(8))"
        let model = try EndToEndTests.compressedModel(into: directory)
        let traffic = try EndToEndTests.renderTraffic(into: directory, seconds: 400, name: "miner", minerOnly: true)
        let config = directory.appendingPathComponent("coinsentry.toml").path
        try EndToEndTests.configuration(interface: wire.outside, directory: directory, model: model, sensor: sensor,
                                        syslogPort: syslog.port, reminderSeconds: 3, episodeHoldSeconds: 2,
                                        metricsPort: 19811)
            .write(toFile: config, atomically: true, encoding: .utf8)
        let socket = directory.appendingPathComponent("control.sock").path
        let jsonFile = directory.appendingPathComponent("alerts.json").path
        let daemon = try await EndToEndTests.Daemon(config: config, socket: socket,
                                              log: directory.appendingPathComponent("coinsentryd.log").path)

        try wire.replay(traffic)
        // Silent now: once the host has had no traffic for a whole window (12 s here) its verdict clears, and its
        // episode ends two seconds (the hold) later.
        var events = [String]()
        for _ in 0..<400 {
            let alerts = try await daemon.request(["cmd": "alerts"])["alerts"]?.array ?? []
            events = alerts.filter { $0["host"]?.string == EndToEndTests.miner }.compactMap { $0["event"]?.string }
            if events.contains("cleared") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .seconds(4))  // past one more reminder period: nothing may follow the clearing
        events = (try await daemon.request(["cmd": "alerts"])["alerts"]?.array ?? [])
            .filter { $0["host"]?.string == EndToEndTests.miner }.compactMap { $0["event"]?.string }
        let reminders = events.filter { $0 == "reminder" }.count
        // The statistics alone make the rendered miner a suspect (no protocol or pool evidence in the trace).
        #expect(events.first == "suspect" && events.last == "cleared", "events: \(events)")
        #expect(events.filter { $0 == "suspect" }.count == 1 && events.filter { $0 == "cleared" }.count == 1)
        #expect(reminders >= 1, "no reminder while suspect: \(events)")
        let closing = (try await daemon.request(["cmd": "alerts"])["alerts"]?.array ?? [])
            .last { $0["host"]?.string == EndToEndTests.miner }
        #expect(closing?["reason"]?.string == "host-quiet" && closing?["level"]?.string == "suspect")
        #expect(daemon.terminate() == 0)

        var frames = [String]()
        while let frame = syslog.receive(timeout: .seconds(1)) { frames.append(frame) }
        let cleared = try EndToEndTests.sinkCounts("cleared", host: EndToEndTests.miner, sensor: sensor,
                                                   jsonFile: jsonFile, syslog: frames)
        #expect(cleared.journal == 1 && cleared.syslog == 1 && cleared.json == 1, "journal, syslog, JSON: \(cleared)")
        let reminded = try EndToEndTests.sinkCounts("reminder", host: EndToEndTests.miner, sensor: sensor,
                                                    jsonFile: jsonFile, syslog: frames)
        #expect(reminded.journal == reminders && reminded.syslog == reminders && reminded.json == reminders,
                "journal, syslog, JSON: \(reminded), store: \(reminders)")
    }
}
