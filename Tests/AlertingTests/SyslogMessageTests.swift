import Alerting
import Foundation
import TestSupport
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
        #expect(SyslogFacility(name: "kern")?.code == 0)
        #expect(SyslogFacility(name: "authpriv")?.code == 10)
        #expect(SyslogFacility(name: "local7") == .local7)
        #expect(SyslogFacility(name: "local8") == nil)
    }

    @Test(arguments: [
        ("unix:/dev/log", SyslogSink.Transport.unix(path: "/dev/log")),
        ("udp:10.0.0.2:514", .udp(host: "10.0.0.2", port: 514)),
        ("tcp:collector.example:6514", .tcp(host: "collector.example", port: 6514)),
        ("tcp:[2001:db8::1]:6514", .tcp(host: "2001:db8::1", port: 6514)),
    ])
    func transportsParseFromTheirConfigurationForm(target: String, expected: SyslogSink.Transport) {
        #expect(SyslogSink.Transport(target: target) == expected)
    }

    @Test(arguments: ["unix:relative", "udp:host", "tcp::514", "tcp:host:0", "tcp:host:70000", "http:host:80"])
    func malformedTransportsAreRefused(target: String) {
        #expect(SyslogSink.Transport(target: target) == nil)
    }
}
