import Alerting
import Appliance
import Capture
import Detection
import Foundation
import Sensor
import Testing

/// What a restart keeps: the evidence hosts hold comes back, and a host whose episode is still open raises nothing new.
@Suite struct RestartStateTests {
    static let host = HostAddress("10.0.0.5")!
    static let pool = HostAddress("203.0.113.7")!

    @Test func heldEvidenceComesBackAfterARestartWithoutASecondAlert() throws {
        let before = SensorEngineInlineTests.Outputs()
        let first = try SensorEngineInlineTests.engine("", before)
        let interval = Int64(Date().timeIntervalSince1970)
        let shape = HostEvidence.poolShape(remote: EvidenceEndpoint(address: Self.pool, port: 443), score: 0.869)
        let name = HostEvidence.poolName(remote: EvidenceEndpoint(address: Self.pool, port: 443),
                                         name: "xmr.pool.example", source: .sni, connected: 900)
        first.add([(Self.host, shape, interval), (Self.host, name, interval)], from: SensorEngineInlineTests.source)
        #expect(before.events == [.suspect, .mining], "the pool-shaped flow alone, then the connected name")
        let saved = first.heldEvidence()
        #expect(saved["10.0.0.5"]?.contains("xmr.pool.example") == true)
        #expect(saved.keys.sorted() == ["10.0.0.5"])

        // The store round trip, as coinsentryd does it at SIGTERM and start-up.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-restart-\(UUID())").path
        let store = try AlertStore(directory: directory)
        try store.saveHostEvidence(saved)
        let stored = try store.hostEvidence()
        #expect(stored == saved)

        let after = SensorEngineInlineTests.Outputs()
        let open = [Self.host: EpisodeTracker.Episode(level: .mining, raisedAt: Date().timeIntervalSince1970)]
        let second = try SensorEngine(configuration: try SensorConfiguration.parse("""
            [capture]
            local_networks = ["10.0.0.0/8"]
            [inline]
            queue = 5
            """), model: try SensorEngineInlineTests.model(), openAlerts: open,
            output: { alert in after.alerts.withLock { $0.append(alert) } })
        let (restored, skipped) = second.restoreEvidence(stored)
        #expect(restored == 2 && skipped == 0)
        let status = try #require(second.snapshot().hosts.first { $0.host == Self.host })
        #expect(Set(status.evidence.map(\.evidence)) == [shape, name])
        #expect(status.level == .mining && status.fused.rule == .poolNameConnection)
        #expect(after.events.isEmpty, "the open episode raises nothing new: \(after.events)")
        #expect(second.restoreEvidence(["10.0.0.9": "not json", "x": "[]"]) == (0, 2))
    }

    @Test func aSavedVoteComesBackWhenItIsRecentAndNotWhenItIsStale() throws {
        let outputs = SensorEngineInlineTests.Outputs()
        let engine = try SensorEngineInlineTests.engine("", outputs)
        let now = Date()
        let decisions = Array(repeating: 0.8, count: 40) + Array(repeating: -0.5, count: 10)
        let recent = HostState(host: "10.0.0.5", verdict: "suspect", score: 0.8, windows: 50,
                               updatedAt: now.addingTimeInterval(-60), decisions: decisions)
        let stale = HostState(host: "10.0.0.6", verdict: "suspect", score: 0.8, windows: 50,
                              updatedAt: now.addingTimeInterval(-7200), decisions: decisions)
        #expect(engine.restoreVotes([recent, stale], now: now) == 1)
        let hosts = engine.snapshot().hosts
        let back = try #require(hosts.first { $0.host == Self.host })
        #expect(back.verdict.windows == 50 && back.verdict.score == 0.8 && back.level == .suspect)
        #expect(!hosts.contains { $0.host == HostAddress("10.0.0.6")! })
        #expect(outputs.events == [.suspect], "no episode was open, so the resumed suspect is news")

        // Through the store.
        let store = try AlertStore(directory: FileManager.default.temporaryDirectory
            .appendingPathComponent("cs-votes-\(UUID())").path)
        try store.saveHostStates([recent])
        #expect(try store.hostStates().first?.decisions == decisions)
    }
}
