import Alerting
import Control
import Foundation
import Testing

/// The control protocol's alert types carry every field of the store's records: a record with every field set, read
/// as the protocol's type and written again, is the same JSON (a field added to one and not the other fails here).
@Suite struct ControlWireTests {
    @Test func anAlertWithEveryFieldSurvivesTheWireTypes() throws {
        let evidence = AlertRecord.Evidence(kind: "pool-name", remote: "203.0.113.7:443", dialect: "json-rpc",
                                            worker: "w1", role: "client", name: "pool.example", source: "sni",
                                            score: 0.9, bytes: 1234, seconds: 125)
        let record = AlertRecord(time: Date(timeIntervalSince1970: 1_764_000_000.25), sensor: "s1", event: .mining,
                                 host: "10.0.0.5", verdict: "mining", score: 0.5, windows: 50, model: "m1",
                                 evidence: [evidence], action: "dropped", requestedBy: "uid=0", level: .mining,
                                 rule: "stratum", reason: "evidence-expired")
        let stored = StoredAlert(id: 9, record: record, acknowledgedBy: "uid=1000", acknowledgedAt: Date(),
                                 closedBy: "uid=1001", closedAt: Date())
        let original = try JSONValue(encoding: stored)
        let entry = try original.decoded(as: AlertEntry.self)
        #expect(try JSONValue(encoding: entry) == original)
        #expect(original.object?.count == 19, "every field of the record is set in this test")
    }
}
