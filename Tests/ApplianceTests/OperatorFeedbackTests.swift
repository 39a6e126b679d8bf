import Alerting
import Appliance
import Capture
import Foundation
import Sensor
import Testing

/// What operators say back: benign marks suppress a host's alerts (counted) or ignore a remote's evidence; closing a
/// host's open alert ends its episode.
@Suite struct OperatorFeedbackTests {
    static let host = HostAddress("10.0.0.5")!
    static let pool = HostAddress("203.0.113.7")!

    static func engine(_ outputs: SensorEngineInlineTests.Outputs) throws -> SensorEngine {
        try SensorEngineInlineTests.engine("", outputs)
    }

    static func mark(_ target: String, until: Date? = nil) -> BenignMark {
        BenignMark(target: target, reason: "build server", requestedBy: "uid=0", since: Date(), until: until)
    }

    @Test func aBenignHostRaisesNothingAndItsSuppressedAlertsAreCounted() throws {
        let outputs = SensorEngineInlineTests.Outputs()
        let engine = try Self.engine(outputs)
        engine.markBenign(Self.mark("10.0.0.5"))
        engine.add(SensorEngineInlineTests.stratum(Self.host, interval: 100), from: SensorEngineInlineTests.source)
        #expect(outputs.events.isEmpty)
        #expect(engine.snapshot().suppressed[Self.host] == 1)
        guard case .saveBenign(let saved)? = outputs.stored.withLock({ $0.first }) else {
            Issue.record("the mark was not stored")
            return
        }
        #expect(saved.target == "10.0.0.5")
        // Removed, the mark no longer holds back the next episode.
        #expect(engine.removeBenign(target: "10.0.0.5") && !engine.removeBenign(target: "10.0.0.5"))
        engine.add(SensorEngineInlineTests.stratum(HostAddress("10.0.0.6")!, interval: 101),
                   from: SensorEngineInlineTests.source)
        #expect(outputs.events == [.mining])
    }

    @Test func aLapsedMarkNoLongerHolds() throws {
        let outputs = SensorEngineInlineTests.Outputs()
        let engine = try Self.engine(outputs)
        engine.markBenign(Self.mark("10.0.0.5", until: Date().addingTimeInterval(-1)))
        engine.add(SensorEngineInlineTests.stratum(Self.host, interval: 100), from: SensorEngineInlineTests.source)
        #expect(outputs.events == [.mining])
    }

    @Test func evidenceNamingABenignRemoteIsIgnored() throws {
        let outputs = SensorEngineInlineTests.Outputs()
        let engine = try Self.engine(outputs)
        engine.markBenign(Self.mark("203.0.113.7:3333"))
        engine.add(SensorEngineInlineTests.stratum(Self.host, interval: 100), from: SensorEngineInlineTests.source)
        #expect(outputs.events.isEmpty)
        #expect(engine.snapshot().hosts.first { $0.host == Self.host }?.evidence.isEmpty ?? true)
    }

    @Test func closingTheOpenAlertEndsTheEpisodeWithTheOperatorsName() throws {
        let outputs = SensorEngineInlineTests.Outputs()
        let engine = try Self.engine(outputs)
        engine.add(SensorEngineInlineTests.stratum(Self.host, interval: 100), from: SensorEngineInlineTests.source)
        #expect(engine.closeEpisode(Self.host, requestedBy: "uid=1000 (alice)"))
        #expect(!engine.closeEpisode(Self.host, requestedBy: "uid=1000 (alice)"), "nothing left to close")
        let cleared = try #require(outputs.alerts.withLock { $0.last })
        #expect(cleared.event == .cleared && cleared.reason == "closed-by-operator")
        #expect(cleared.requestedBy == "uid=1000 (alice)" && cleared.level == .mining)
    }

    @Test func pausesAndReloadsAreAuditRecords() throws {
        let outputs = SensorEngineInlineTests.Outputs()
        let engine = try Self.engine(outputs)
        #expect(engine.setPaused(true) && !engine.setPaused(true))
        engine.audit("pause", requestedBy: "uid=0 pid=7 (coinsentryctl)")
        let audit = try #require(outputs.alerts.withLock { $0.last })
        #expect(audit.event == .audit && audit.verdict == "pause" && audit.requestedBy == "uid=0 pid=7 (coinsentryctl)")
        #expect(audit.summary == "operator uid=0 pid=7 (coinsentryctl) asked to pause")
    }
}
