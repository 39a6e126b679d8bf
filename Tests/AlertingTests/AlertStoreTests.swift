import Alerting
import Foundation
import TestSupport
import Testing

@Suite struct AlertStoreTests {
    @Test func aSecondMiningAlertForAnOpenHostIsSuppressedEvenAfterARestart() throws {
        let directory = try Fixtures.temporaryDirectory()
        var store: AlertStore? = try AlertStore(directory: directory)
        let first = try #require(store).raise(Fixtures.mining(host: "10.0.0.5", seconds: 1_790_000_000))
        guard case .raised(let id) = first else { Issue.record("first mining alert not raised: \(first)"); return }
        #expect(try #require(store).raise(Fixtures.mining(host: "10.0.0.5", seconds: 1_790_000_100))
                == .suppressed(openAlertID: id))
        try #require(store).close()
        store = nil

        let reopened = try AlertStore(directory: directory)
        #expect(try reopened.raise(Fixtures.mining(host: "10.0.0.5", seconds: 1_790_000_200))
                == .suppressed(openAlertID: id))
        #expect(try reopened.openAlert(host: "10.0.0.5")?.id == id)
        #expect(try reopened.alerts(since: .distantPast).count == 1)
    }

    @Test func clearingClosesTheOpenAlertSoTheNextMiningIsRaised() throws {
        let store = try AlertStore(directory: try Fixtures.temporaryDirectory())
        _ = try store.raise(Fixtures.mining(seconds: 1_790_000_000))
        let reminder = try store.raise(Fixtures.mining(seconds: 1_790_000_050, event: .reminder))
        #expect(reminder != .suppressed(openAlertID: nil))
        guard case .raised = try store.raise(Fixtures.mining(seconds: 1_790_000_100, event: .cleared)) else {
            Issue.record("clearing an open alert was not raised")
            return
        }
        #expect(try store.openAlert(host: "10.0.0.5") == nil)
        #expect(try store.raise(Fixtures.mining(seconds: 1_790_000_150, event: .cleared))
                == .suppressed(openAlertID: nil))
        #expect(try store.raise(Fixtures.mining(seconds: 1_790_000_160, event: .reminder))
                == .suppressed(openAlertID: nil))
        guard case .raised = try store.raise(Fixtures.mining(seconds: 1_790_000_200)) else {
            Issue.record("mining after a clearing was not raised")
            return
        }
        let events = try store.alerts(since: .distantPast).map(\.record.event)
        #expect(events == [.mining, .reminder, .cleared, .mining])
    }

    @Test func storedRecordsComeBackWithEveryField() throws {
        let store = try AlertStore(directory: try Fixtures.temporaryDirectory())
        let record = Fixtures.mining(event: .blocked)
        _ = try store.raise(record)
        let stored = try #require(try store.openAlert(host: record.host, kind: .blocked))
        #expect(stored.record == record)
        #expect(try store.openAlert(host: record.host, kind: .mining) == nil)
    }

    @Test func alertsSinceReturnsOnlyLaterAlertsInTimeOrder() throws {
        let store = try AlertStore(directory: try Fixtures.temporaryDirectory())
        for (index, host) in ["10.0.0.3", "10.0.0.1", "10.0.0.2"].enumerated() {
            _ = try store.raise(Fixtures.mining(host: host, seconds: 1_790_000_000 + Double(index) * 60))
        }
        let since = Date(timeIntervalSince1970: 1_790_000_060)
        #expect(try store.alerts(since: since).map(\.record.host) == ["10.0.0.1", "10.0.0.2"])
        #expect(try store.alerts(since: .distantPast, limit: 2).map(\.record.host) == ["10.0.0.1", "10.0.0.2"],
                "the latest of them, oldest first")
        #expect(try store.alerts(since: .distantPast, host: "10.0.0.3", limit: 1).map(\.record.host) == ["10.0.0.3"],
                "filtered before the limit")
        #expect(try store.alerts(since: .distantPast, event: .cleared).isEmpty)
        #expect(try store.openAlerts().count == 3)
    }

    @Test func alertsAreGroupedByHostAndRuleInTheQuery() throws {
        let store = try AlertStore(directory: try Fixtures.temporaryDirectory())
        func time(_ offset: Double) -> Date { Date(timeIntervalSince1970: 1_790_000_000 + offset) }
        func raise(_ host: String, _ offset: Double, _ event: AlertRecord.Event, rule: String,
                   level: AlertRecord.Level?) throws -> Int64 {
            var record = Fixtures.mining(host: host, seconds: 1_790_000_000 + offset, event: event)
            record.rule = rule
            record.level = level
            guard case .raised(let id) = try store.raise(record) else {
                Issue.record("\(event) for \(host) at +\(offset) s was not raised")
                return -1
            }
            return id
        }
        let first = try raise("10.0.0.1", 0, .mining, rule: "stratum", level: .mining)
        let vote = try raise("10.0.0.2", 300, .suspect, rule: "vote", level: .suspect)
        let reminder = try raise("10.0.0.1", 600, .reminder, rule: "stratum", level: .mining)
        let cleared = try raise("10.0.0.1", 700, .cleared, rule: "stratum", level: nil)
        let pool = try raise("10.0.0.1", 1000, .mining, rule: "pool-name", level: .mining)
        _ = try store.acknowledge(id: vote, by: "root")

        let groups = try store.alertGroups(since: .distantPast)
        #expect(groups.map(\.latestID) == [pool, cleared, vote], "the groups with the latest alerts first")
        let stratum = try #require(groups.first { $0.rule == "stratum" })
        #expect(stratum.host == "10.0.0.1" && stratum.count == 3 && stratum.unhandled == 3)
        #expect(stratum.firstSeen == time(0) && stratum.lastSeen == time(700))
        #expect(stratum.latestEvent == .cleared && stratum.level == .mining,
                "the level is the latest that has one (a clearing has none)")
        let suspect = try #require(groups.first { $0.rule == "vote" })
        #expect(suspect.unhandled == 0 && suspect.level == .suspect && suspect.count == 1)

        #expect(try store.alertGroups(since: .distantPast, limit: 1).map(\.latestID) == [pool])
        #expect(try store.alertGroups(since: .distantPast, until: time(650)).map(\.latestID) == [reminder, vote],
                "filtered before grouping")
        #expect(try store.alertGroups(since: time(100), host: "10.0.0.1", level: .mining).map(\.count) == [1, 1])
        #expect(try store.alerts(since: .distantPast, until: time(650), rule: "stratum").map(\.id)
                == [first, reminder])
        #expect(try store.alertGroups(since: .distantPast, event: .audit).isEmpty)
    }

    @Test func hostStateIsSavedReplacedAndRestoredAfterARestart() throws {
        let directory = try Fixtures.temporaryDirectory()
        let time = Date(timeIntervalSince1970: 1_790_000_000.5)
        do {
            let store = try AlertStore(directory: directory)
            try store.saveHostStates([
                HostState(host: "10.0.0.5", verdict: "clear", score: 0.1, windows: 10, updatedAt: time),
                HostState(host: "10.0.0.6", verdict: "clear", score: 0.0, windows: 3, updatedAt: time),
            ])
            try store.saveHostStates([
                HostState(host: "10.0.0.5", verdict: "mining", score: 0.75, windows: 50, updatedAt: time),
            ])
            try store.removeHostStates(hosts: ["10.0.0.6"])
            try store.close()
        }
        let restored = try AlertStore(directory: directory).hostStates()
        #expect(restored == [HostState(host: "10.0.0.5", verdict: "mining", score: 0.75, windows: 50, updatedAt: time)])
    }

    @Test func databaseFileIsPrivateAndInWALMode() throws {
        let directory = "\(try Fixtures.temporaryDirectory())/state/nested"
        let store = try AlertStore(directory: directory)
        _ = try store.raise(Fixtures.mining())
        let mode = try FileManager.default.attributesOfItem(atPath: store.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(FileManager.default.fileExists(atPath: store.path + "-wal"))
        let walMode = try FileManager.default.attributesOfItem(atPath: store.path + "-wal")[.posixPermissions] as? Int
        #expect(walMode == 0o600)
    }

    @Test func unwritableStateDirectoryIsAStoreError() {
        #expect {
            try AlertStore(directory: "/proc/coinsentry-cannot-exist")
        } throws: { ($0 as? AlertingError)?.code == .store }
    }
}
