import Alerting
import Appliance
import Capture
import Detection
import Foundation
import Sensor
import Synchronization
import Testing

/// The engine's inline decisions on constructed evidence, through its public API: the verdict table it installs in
/// the queue, the alerts and the state it hands to the store. (Packets really dropped: `InlineDaemonTests`.)
@Suite struct SensorEngineInlineTests {
    static let host = HostAddress("10.0.0.5")!, other = HostAddress("10.0.0.6")!, pool = HostAddress("203.0.113.7")!
    static let source = "nfqueue:5"

    /// What the engine put out.
    final class Outputs: Sendable {
        let alerts = Mutex<[AlertRecord]>([])
        let rules = Mutex<[InlineRules]>([])
        let stored = Mutex<[InlineStoreChange]>([])

        var events: [AlertRecord.Event] { alerts.withLock { $0.map(\.event) } }
        var lastRules: InlineRules? { rules.withLock { $0.last } }
    }

    /// The shipped model.
    static func model() throws -> DetectionModel {
        try DetectionModel.load(EndToEndTests.root.appendingPathComponent("etc/coinsentry/model.json").path,
                                sensorIntervalSeconds: 1)
    }

    static func engine(_ inline: String, _ outputs: Outputs) throws -> SensorEngine {
        let configuration = try SensorConfiguration.parse("""
            [capture]
            local_networks = ["10.0.0.0/8"]
            [alerts]
            episode_hold_seconds = 0
            [inline]
            queue = 5
            \(inline)
            [verdict]
            evidence_hold_seconds = 10
            """)
        let model = try DetectionModel.load(EndToEndTests.root.appendingPathComponent("etc/coinsentry/model.json").path,
                                            sensorIntervalSeconds: 1)
        let engine = try SensorEngine(configuration: configuration, model: model,
                                      store: { change in outputs.stored.withLock { $0.append(change) } },
                                      output: { alert in outputs.alerts.withLock { $0.append(alert) } })
        engine.attachQueue { rules in outputs.rules.withLock { $0.append(rules) } }
        return engine
    }

    static func stratum(_ host: HostAddress, interval: Int64) -> [(host: HostAddress, evidence: HostEvidence,
                                                                   interval: Int64)] {
        [(host, .stratum(MiningEvidence(host: host, remote: pool, remotePort: 3333, localPort: 41000,
                                        dialect: .monero, role: .miner, worker: "rig-7", interval: interval)),
          interval)]
    }

    @Test func automaticBlockFollowsTheVerdictAndIsLiftedWhenItClears() throws {
        let outputs = Outputs()
        let engine = try Self.engine("policy = \"block\"", outputs)
        engine.add(Self.stratum(Self.host, interval: 100), from: Self.source)
        #expect(outputs.events == [.mining, .blocked])
        let blocked = try #require(outputs.alerts.withLock { $0.last })
        #expect(blocked.requestedBy == "verdict" && blocked.action == "dropped")
        #expect(blocked.evidence.contains { $0.kind == "stratum" && $0.dialect == "monero" && $0.worker == "rig-7" })
        #expect(blocked.evidence.contains { $0.kind == "blocked" && $0.remote == "203.0.113.7:3333" })
        #expect(outputs.lastRules?.blocked[Self.host] == .remotes([BlockedRemote(address: Self.pool, port: 3333)]))
        guard case .saveBlock(let saved)? = outputs.stored.withLock({ $0.last }) else {
            Issue.record("the block was not stored")
            return
        }
        #expect(saved.origin == .verdict && saved.remotes == ["203.0.113.7:3333"])

        // Ten seconds of evidence hold later the stratum session no longer counts: the verdict clears.
        engine.handle(CaptureBatch(events: [.intervalClosed(index: 111)]), from: Self.source,
                      statistics: CaptureStatistics())
        #expect(outputs.events == [.mining, .blocked, .cleared, .unblocked])
        #expect(outputs.alerts.withLock { $0.last?.requestedBy } == "verdict")
        #expect(outputs.lastRules?.blocked.isEmpty == true)
        guard case .removeBlock(let host)? = outputs.stored.withLock({ $0.last }) else {
            Issue.record("the lifted block was not removed from the store")
            return
        }
        #expect(host == Self.host.description)
    }

    @Test func allowlistWinsAndOperatorRequestsAreCheckedAndRecorded() throws {
        let outputs = Outputs()
        let engine = try Self.engine("policy = \"block\"\nallowlist = [\"10.0.0.5\"]", outputs)
        engine.add(Self.stratum(Self.host, interval: 100), from: Self.source)
        #expect(outputs.events == [.mining], "an allowlisted host is alerted on, not blocked")
        #expect(outputs.lastRules?.allowed.contains(Self.host) == true)
        let peer = "uid=1000 gid=1000 pid=4242 (coinsentryctl)"
        func refusal(_ request: SensorEngine.InlineRequest) -> String? {
            if case .failure(let refusal) = engine.perform(request, requestedBy: peer) { return refusal.description }
            return nil
        }
        #expect(refusal(.block(Self.host, all: true))?.contains("allowlist") == true)
        #expect(refusal(.disallow(Self.host))?.contains("inline.allowlist") == true)
        #expect(refusal(.block(Self.other, all: false))?.contains("no remote endpoints") == true)

        #expect(refusal(.block(Self.other, all: true)) == nil)
        #expect(outputs.events.last == .blocked && outputs.alerts.withLock { $0.last?.requestedBy } == peer)
        #expect(outputs.lastRules?.blocked[Self.other] == .allTraffic)
        #expect(refusal(.block(Self.other, all: true))?.contains("already blocked") == true)
        #expect(refusal(.unblock(Self.other)) == nil)
        #expect(outputs.events.last == .unblocked && outputs.alerts.withLock { $0.last?.requestedBy } == peer)
        #expect(refusal(.unblock(Self.other))?.contains("not blocked") == true)
        #expect(refusal(.allow(Self.other)) == nil)
        #expect(outputs.lastRules?.allowed == [Self.host, Self.other])
        #expect(engine.snapshot().allowlist.map(\.host) == ["10.0.0.5", "10.0.0.6"])
        #expect(refusal(.disallow(Self.other)) == nil)
        #expect(outputs.lastRules?.allowed == [Self.host])
    }

    @Test func monitorPolicyDropsNothingAndSaysSo() throws {
        let outputs = Outputs()
        let engine = try Self.engine("policy = \"monitor\"", outputs)
        engine.add(Self.stratum(Self.host, interval: 100), from: Self.source)
        #expect(outputs.events == [.mining])
        #expect(outputs.lastRules?.blocked.isEmpty == true)
        guard case .failure(let refusal) = engine.perform(.block(Self.host, all: true), requestedBy: "uid=0") else {
            Issue.record("a block was accepted in monitor policy")
            return
        }
        #expect(refusal.description.contains("monitor"))
    }

    @Test func blocksFromBeforeARestartAreInstalledAtOnce() throws {
        let outputs = Outputs()
        let configuration = try SensorConfiguration.parse("[capture]\nlocal_networks = [\"10.0.0.0/8\"]\n"
                                                          + "[inline]\nqueue = 5\npolicy = \"block\"\n")
        let model = try DetectionModel.load(EndToEndTests.root.appendingPathComponent("etc/coinsentry/model.json").path,
                                            sensorIntervalSeconds: 1)
        let saved = InlineBlock(host: "10.0.0.6", scope: .endpoints, remotes: ["203.0.113.7:3333", "198.51.100.1"],
                                origin: .operator, requestedBy: "uid=0", since: Date())
        let engine = try SensorEngine(configuration: configuration, model: model, blocks: [saved],
                                      output: { _ in })
        engine.attachQueue { rules in outputs.rules.withLock { $0.append(rules) } }
        #expect(outputs.lastRules?.blocked[Self.other] == .remotes([
            BlockedRemote(address: Self.pool, port: 3333), BlockedRemote(address: HostAddress("198.51.100.1")!),
        ]))
    }
}
