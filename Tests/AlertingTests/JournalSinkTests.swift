import Alerting
import Foundation
import TestSupport
import Testing

@Suite struct JournalSinkTests {
    @Test(.enabled(if: JournaldHarness.unavailableReason == nil, "\(JournaldHarness.unavailableReason ?? "")"))
    func journaldStoresTheAlertWithItsStructuredFields() async throws {
        try await JournaldHarness.ensureRunning()
        let sensor = "test-\(UUID().uuidString)"
        let record = Fixtures.mining(host: "10.0.0.5", sensor: sensor)
        let sink = JournalSink()
        try await sink.deliver(record)
        #expect(sink.counters.delivered == 1)

        // journald writes asynchronously: poll for up to about 5 s.
        var found: [[String: Any]] = []
        _ = try await Fixtures.eventually {
            found = try JournaldHarness.entries(["COINSENTRY_HOST=10.0.0.5", "COINSENTRY_SENSOR=\(sensor)"])
            return !found.isEmpty
        }
        #expect(found.count == 1)
        let entry = try #require(found.first)
        #expect(entry["MESSAGE_ID"] as? String == "3c0db4e306a745df8fa6abc95f48d5b2")
        #expect(entry["PRIORITY"] as? String == "4")
        #expect(entry["SYSLOG_IDENTIFIER"] as? String == "coinsentryd")
        #expect(entry["MESSAGE"] as? String == record.summary)
        #expect(entry["COINSENTRY_EVENT"] as? String == "mining")
        #expect(entry["COINSENTRY_SCORE"] as? String == "0.9375")
        #expect(entry["COINSENTRY_WINDOWS"] as? String == "48")
        #expect(entry["COINSENTRY_MODEL"] as? String == record.model)
        #expect(entry["COINSENTRY_ACTION"] as? String == "none")
        let evidenceText = try #require(entry["COINSENTRY_EVIDENCE"] as? String)
        let evidence = try JSONDecoder().decode([AlertRecord.Evidence].self, from: Data(evidenceText.utf8))
        #expect(evidence == record.evidence)
        let byMessageID = try JournaldHarness.entries(
            ["MESSAGE_ID=\(AlertRecord.Event.mining.messageID)", "COINSENTRY_SENSOR=\(sensor)"])
        #expect(byMessageID.count == 1)
    }

    @Test func messageIDsAreDistinct128BitHexAndPrioritiesFollowTheEvent() {
        let ids = AlertRecord.Event.allCases.map(\.messageID)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.count == 32 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
        #expect(AlertRecord.Event.mining.severity == 4)
        #expect(AlertRecord.Event.cleared.severity == 5)
    }
}
