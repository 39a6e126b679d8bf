import Alerting
import Foundation
import Testing

@Suite struct SyslogMessageTests {
    @Test func headerCarriesPriorityVersionTimeHostAppProcessAndEvent() throws {
        let formatter = SyslogMessage(facility: .local0, hostname: "sensor-box", processID: 4242)
        let record = Fixtures.mining(event: .cleared)
        let parsed = try #require(ParsedSyslog(formatter.format(record)))
        #expect(parsed.priority == 16 * 8 + 5)
        #expect(parsed.version == 1)
        #expect(parsed.timestamp == "2026-09-21T14:13:20.250000Z")
        #expect(parsed.hostname == "sensor-box")
        #expect(parsed.appName == "coinsentryd")
        #expect(parsed.processID == "4242")
        #expect(parsed.messageID == "cleared")
        #expect(parsed.message == record.summary)
    }

    @Test func structuredDataHoldsEveryFieldAndSurvivesQuotesBackslashesAndBrackets() throws {
        let record = Fixtures.mining(event: .blocked)
        let text = SyslogMessage(hostname: "h").format(record)
        let parsed = try #require(ParsedSyslog(text))
        #expect(parsed.priority == 3 * 8 + 4)
        #expect(parsed.structuredDataID == "coinsentry@32473")
        #expect(parsed.parameters["model"] == #"svc-120s "v3" [rbf\lin]"#)
        #expect(parsed.parameters["host"] == "10.0.0.5")
        #expect(parsed.parameters["sensor"] == "sensor-a")
        #expect(parsed.parameters["event"] == "blocked")
        #expect(parsed.parameters["score"] == "0.9375")
        #expect(parsed.parameters["windows"] == "48")
        #expect(parsed.parameters["requested_by"] == "uid=0 pid=42")
        #expect(parsed.parameters["message_id"] == AlertRecord.Event.blocked.messageID)
        let evidence = try JSONDecoder().decode(
            [AlertRecord.Evidence].self, from: Data(try #require(parsed.parameters["evidence"]).utf8))
        #expect(evidence == record.evidence)
    }

    @Test func escapingFollowsRFC5424Section633() {
        #expect(SyslogMessage.escapeParameterValue(#"a"b\c]d[e"#) == #"a\"b\\c\]d[e"#)
    }

    @Test func octetCountingPrefixesTheLengthInBytesNotCharacters() {
        let framed = SyslogMessage.octetCounted("é x")
        #expect(String(decoding: framed, as: UTF8.self) == "4 é x")
    }

    @Test func facilityNamesFromConfiguration() {
        #expect(SyslogFacility(name: "LOCAL3")?.code == 19)
        #expect(SyslogFacility(name: "daemon") == .daemon)
        #expect(SyslogFacility(name: "kern") == nil)
    }
}
