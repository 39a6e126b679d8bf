import Alerting
import Control
import Foundation
import Testing

@testable import Appliance

/// Stored alerts go on the wire field by field; the reply must equal the record's own JSON encoding read back as the
/// protocol's type, which is what clients of the control socket and the REST API have always received.
@Suite struct AlertEntryTests {
    @Test func aStoredAlertOnTheWireEqualsItsEncodingReadBack() throws {
        var record = AlertRecord(
            time: Date(timeIntervalSince1970: 1_796_500_000.123456), sensor: "sensor-a", event: .mining,
            host: "2001:db8::5", verdict: "mining", score: 0.9375, windows: 48, model: "svc \"v3\"",
            evidence: [
                .init(kind: "stratum", remote: "198.51.100.7:3333", dialect: "stratum", worker: "w1"),
                .init(kind: "pool-name", remote: "[2001:db8::7]:443", name: "pool.example", source: "tls-sni",
                      score: 0.8, bytes: 123_456, seconds: 301.5),
            ],
            action: "dropped", requestedBy: "uid=0 pid=42", level: .mining, rule: "stratum")
        record.reason = "host-quiet"
        let acknowledged = StoredAlert(id: 9_007_199_254_740_991, record: record, acknowledgedBy: "uid=1000",
                                       acknowledgedAt: Date(timeIntervalSince1970: 1_796_500_100.5),
                                       closedBy: "uid=0", closedAt: Date(timeIntervalSince1970: 1_796_500_200))
        let bare = StoredAlert(id: 1, record: AlertRecord(
            time: Date(timeIntervalSince1970: 0), sensor: "s", event: .audit, host: "-", verdict: "clear", score: 0,
            windows: 0, model: "m"))
        for alert in [acknowledged, bare] {
            let encoded = try JSONValue(encoding: alert).decoded(as: AlertEntry.self)
            #expect(ControlCommands.entry(alert) == encoded)
        }
    }
}
