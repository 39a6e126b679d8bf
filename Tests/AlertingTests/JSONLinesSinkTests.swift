import Alerting
import Foundation
import TestSupport
import Testing

@Suite struct JSONLinesSinkTests {
    private func lines(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        return try text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func eachAlertIsOneEVEStyleLine() async throws {
        let path = "\(try Fixtures.temporaryDirectory())/alerts.json"
        let sink = try JSONLinesSink(path: path)
        let record = Fixtures.mining(event: .blocked)
        try await sink.deliver(record)
        let line = try #require(try lines(path).first)
        #expect(line["timestamp"] as? String == "2026-09-21T14:13:20.250000Z")
        #expect(line["event_type"] as? String == "alert")
        #expect(line["src_ip"] as? String == "10.0.0.5")
        #expect(line["host"] as? String == "sensor-a")
        let alert = try #require(line["alert"] as? [String: Any])
        #expect(alert["signature_id"] as? Int == 1_900_004)
        #expect(alert["severity"] as? Int == 2)
        #expect(alert["category"] as? String == "Crypto Currency Mining Activity Detected")
        #expect(alert["action"] as? String == "allowed")
        let detail = try #require(line["coinsentry"] as? [String: Any])
        #expect(detail["requested_by"] as? String == "uid=0 pid=42")
        #expect(detail["model"] as? String == record.model)
        #expect((detail["evidence"] as? [Any])?.count == 2)
        let decoded = try JSONDecoder().decode(EVEAlert.self, from: Data(
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")[0].utf8))
        #expect(decoded == EVEAlert(record))
    }

    @Test func newFileHasMode0640WhateverTheUmask() throws {
        let path = "\(try Fixtures.temporaryDirectory())/alerts.json"
        let previous = umask(0o077)
        defer { umask(previous) }
        _ = try JSONLinesSink(path: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }

    @Test func afterRenameAndReopenTheNextAlertGoesToANewFile() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = "\(directory)/alerts.json"
        let sink = try JSONLinesSink(path: path)
        try await sink.deliver(Fixtures.mining(host: "10.0.0.1"))
        try await sink.deliver(Fixtures.mining(host: "10.0.0.2"))
        try FileManager.default.moveItem(atPath: path, toPath: "\(path).1")
        // Before reopen the sink still writes to the renamed file, as a daemon does until logrotate's SIGHUP.
        try await sink.deliver(Fixtures.mining(host: "10.0.0.3"))
        try await sink.reopen()
        try await sink.deliver(Fixtures.mining(host: "10.0.0.4"))
        #expect(try lines("\(path).1").map { $0["src_ip"] as? String } == ["10.0.0.1", "10.0.0.2", "10.0.0.3"])
        #expect(try lines(path).map { $0["src_ip"] as? String } == ["10.0.0.4"])
        #expect(sink.counters.delivered == 4)
    }

    @Test func concurrentAlertsNeverInterleaveWithinALine() async throws {
        let path = "\(try Fixtures.temporaryDirectory())/alerts.json"
        let sink = try JSONLinesSink(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask { try await sink.deliver(Fixtures.mining(host: "10.0.\(index / 256).\(index % 256)")) }
            }
            try await group.waitForAll()
        }
        let hosts = try lines(path).compactMap { $0["src_ip"] as? String }
        #expect(Set(hosts).count == 200)
    }

    @Test func watchlistAlertsHaveNoSourceAddress() throws {
        let record = AlertRecord(time: Date(), sensor: "s", event: .watchlist, host: "bc1qexample", verdict: "mixer",
                                 score: 0.8, windows: 0, model: "chain-v1")
        let eve = EVEAlert(record)
        #expect(eve.srcIP == nil)
        #expect(eve.coinsentry.host == "bc1qexample")
        #expect(eve.alert.severity == 3)
    }

    @Test func unwritableDirectoryIsAFileError() {
        #expect {
            try JSONLinesSink(path: "/nonexistent-coinsentry-dir/alerts.json")
        } throws: { ($0 as? AlertingError)?.code == .file }
    }
}

/// The JSON sink on a full disk (a small tmpfs the test mounts): what cannot be written is counted as dropped, the
/// file keeps whole lines only, and writing resumes by itself once there is room again.
@Suite(.enabled(if: Shell.isRoot, "skipped: mounting a small tmpfs needs root (CI runs as root)"))
struct JSONLinesSinkFullDiskTests {
    @Test func aFullDiskDropsAndCountsAndWritingResumesWhenThereIsRoom() async throws {
        let mountPoint = try Fixtures.temporaryDirectory()
        try Shell.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mountPoint])
        defer {
            _ = try? Shell.run(["umount", mountPoint])
            try? FileManager.default.removeItem(atPath: mountPoint)
        }
        // Most of the room taken by another file, as a filling log partition would.
        let filler = "\(mountPoint)/filler"
        let path = "\(mountPoint)/alerts.json"
        try Data(repeating: 0x2e, count: 52 * 1024).write(to: URL(fileURLWithPath: filler))
        let sink = try JSONLinesSink(path: path)
        let dispatcher = AlertDispatcher(sinks: [sink], capacity: 64)
        for index in 0..<40 {
            dispatcher.publish(Fixtures.mining(host: "10.0.0.\(index)"))
        }
        #expect(await Fixtures.eventually { sink.counters.delivered + sink.counters.dropped == 40 })
        let deliveredWhileFull = sink.counters.delivered
        #expect(sink.counters.dropped > 0, "the disk filled up")
        #expect(deliveredWhileFull > 0, "what fitted was written")
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == Int(deliveredWhileFull), "one whole line per delivered alert, no torn line")
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })

        try FileManager.default.removeItem(atPath: filler)
        dispatcher.publish(Fixtures.mining(host: "10.0.1.1"))
        #expect(await Fixtures.eventually { sink.counters.delivered == deliveredWhileFull + 1 })
        lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == Int(deliveredWhileFull) + 1)
        #expect(lines.last?.contains("10.0.1.1") == true, "writing resumed without a reopen or a restart")
        await dispatcher.finish()
    }
}
