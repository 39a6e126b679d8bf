import Alerting
import Foundation
import Testing

/// The two alert levels through the store, the sinks' presentation and the dispatcher's routing.
@Suite struct AlertLevelTests {
    static func record(_ event: AlertRecord.Event, level: AlertRecord.Level?, seconds: Double,
                       rule: String? = nil, reason: String? = nil) -> AlertRecord {
        var record = Fixtures.mining(seconds: seconds, event: event)
        record.level = level
        record.rule = rule ?? (level == .suspect ? "vote" : "stratum")
        record.reason = reason
        if level == .suspect { record.evidence = [.init(kind: "statistics", score: 0.7)] }
        return record
    }

    @Test func aSuspectEpisodeRisesToMiningOnceAndEndsWithItsReason() throws {
        let store = try AlertStore(directory: try Fixtures.temporaryDirectory())
        guard case .raised(let suspect) = try store.raise(Self.record(.suspect, level: .suspect, seconds: 1)) else {
            Issue.record("the suspect was not raised")
            return
        }
        #expect(try store.raise(Self.record(.suspect, level: .suspect, seconds: 2)) == .suppressed(openAlertID: suspect))
        guard case .raised(let mining) = try store.raise(Self.record(.mining, level: .mining, seconds: 3)) else {
            Issue.record("the rise to mining was not raised")
            return
        }
        #expect(try store.openAlert(host: "10.0.0.5")?.id == mining)
        #expect(try store.raise(Self.record(.mining, level: .mining, seconds: 4)) == .suppressed(openAlertID: mining))
        #expect(try store.raise(Self.record(.suspect, level: .suspect, seconds: 5)) == .suppressed(openAlertID: mining))
        _ = try store.raise(Self.record(.cleared, level: .mining, seconds: 6, reason: "evidence-expired"))
        let stored = try store.alerts(since: .distantPast).map(\.record)
        #expect(stored.map(\.event) == [.suspect, .mining, .cleared])
        #expect(stored.map(\.level) == [.suspect, .mining, .mining])
        #expect(stored.last?.reason == "evidence-expired" && stored.first?.rule == "vote")
    }

    @Test func eachLevelHasItsOwnEventIdentityAndSeverity() throws {
        let suspect = Self.record(.suspect, level: .suspect, seconds: 1)
        let mining = Self.record(.mining, level: .mining, seconds: 1)
        #expect(suspect.event.messageID != mining.event.messageID)
        #expect(suspect.severity == 5 && mining.severity == 4)
        #expect(Self.record(.reminder, level: .suspect, seconds: 1).severity == 5)
        #expect(Self.record(.reminder, level: .mining, seconds: 1).severity == 4)
        #expect(EVEAlert(suspect).alert.severity == 3 && EVEAlert(mining).alert.severity == 2)
        #expect(EVEAlert(suspect).alert.signatureID != EVEAlert(mining).alert.signatureID)
        let journal = Dictionary(JournalSink().fields(for: suspect).map { ($0.name, $0.value) },
                                 uniquingKeysWith: { first, _ in first })
        #expect(journal["PRIORITY"] == "5" && journal["COINSENTRY_LEVEL"] == "suspect" && journal["COINSENTRY_RULE"] == "vote")
        let syslog = SyslogMessage(facility: .daemon, appName: "coinsentryd").format(mining)
        #expect(syslog.hasPrefix("<28>1 ") && syslog.contains("level=\"mining\"") && syslog.contains("rule=\"stratum\""))
    }

    @Test func summariesSayWhatDecidedAndWhatToDo() {
        let mining = Self.record(.mining, level: .mining, seconds: 1)
        #expect(mining.summary.contains("stratum session to 198.51.100.7:3333, worker w1, stratum dialect"))
        #expect(mining.summary.contains("rule stratum") && mining.summary.contains("Find and stop the miner"))
        let suspect = Self.record(.suspect, level: .suspect, seconds: 1)
        #expect(suspect.summary.contains("may be mining (suspect)") && suspect.summary.contains("vote 0.94"))
        let cleared = Self.record(.cleared, level: .suspect, seconds: 1, reason: "host-quiet")
        #expect(cleared.summary == "host 10.0.0.5 is no longer suspect (the host fell silent)")
    }

    @Test func suspectsGoOnlyToTheSinksThatTakeThem() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let takes = try JSONLinesSink(path: "\(directory)/suspects.json")
        let refuses = try JSONLinesSink(path: "\(directory)/mining.json")
        let dispatcher = AlertDispatcher(sinks: [takes, refuses], suspectsTo: { ($0 as? JSONLinesSink) === takes })
        dispatcher.publish(Self.record(.suspect, level: .suspect, seconds: 1))
        dispatcher.publish(Self.record(.mining, level: .mining, seconds: 2))
        await dispatcher.finish()
        #expect(takes.counters.delivered == 2 && refuses.counters.delivered == 1)
        let lines = try String(contentsOfFile: "\(directory)/mining.json", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("\"level\":\"mining\""))
    }
}

/// Acknowledging and closing alerts, and benign marks, kept in the store.
@Suite struct AlertFeedbackStoreTests {
    @Test func acknowledgementsAndClosingsAreKeptWithWhoAndWhen() throws {
        let store = try AlertStore(directory: try Fixtures.temporaryDirectory())
        guard case .raised(let id) = try store.raise(Fixtures.mining(seconds: 1)) else {
            Issue.record("not raised")
            return
        }
        #expect(try store.acknowledge(id: id + 100, by: "uid=0") == nil, "no such alert")
        let seen = try #require(try store.acknowledge(id: id, by: "uid=1000 (alice)", at: Date(timeIntervalSince1970: 5)))
        #expect(seen.acknowledgedBy == "uid=1000 (alice)" && seen.acknowledgedAt == Date(timeIntervalSince1970: 5))
        let closed = try #require(try store.close(id: id, by: "uid=1001 (bob)", at: Date(timeIntervalSince1970: 9)))
        #expect(closed.closedBy == "uid=1001 (bob)" && closed.acknowledgedBy == "uid=1000 (alice)")
        #expect(try store.alerts(since: .distantPast).first?.closedAt == Date(timeIntervalSince1970: 9))
    }

    @Test func benignMarksAreSavedReplacedAndRemoved() throws {
        let store = try AlertStore(directory: try Fixtures.temporaryDirectory())
        let mark = BenignMark(target: "10.0.0.5", reason: "build server", requestedBy: "uid=0",
                              since: Date(timeIntervalSince1970: 1), until: Date(timeIntervalSince1970: 100))
        try store.saveBenign(mark)
        var replaced = mark
        replaced.reason = "render farm"
        replaced.until = nil
        try store.saveBenign(replaced)
        try store.saveBenign(BenignMark(target: "203.0.113.7:443", reason: "collector", requestedBy: "uid=0",
                                        since: Date(timeIntervalSince1970: 2), until: nil))
        #expect(try store.benignMarks() == [replaced, BenignMark(target: "203.0.113.7:443", reason: "collector",
                                                                 requestedBy: "uid=0",
                                                                 since: Date(timeIntervalSince1970: 2), until: nil)])
        #expect(mark.holds(at: Date(timeIntervalSince1970: 99)) && !mark.holds(at: Date(timeIntervalSince1970: 100)))
        #expect(try store.removeBenign(target: "10.0.0.5") && !(try store.removeBenign(target: "10.0.0.5")))
        #expect(try store.benignMarks().map(\.target) == ["203.0.113.7:443"])
    }

    @Test func storedAlertsEncodeTheirIdBesideTheRecord() throws {
        let stored = StoredAlert(id: 7, record: Fixtures.mining(), acknowledgedBy: "uid=0")
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(stored)) as? [String: Any]
        #expect(object?["id"] as? Int == 7 && object?["acknowledged_by"] as? String == "uid=0")
        #expect(object?["host"] as? String == "10.0.0.5" && object?["event"] as? String == "mining")
    }
}
