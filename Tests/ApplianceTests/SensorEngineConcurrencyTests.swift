import Alerting
import Appliance
import Capture
import Detection
import Foundation
import Sensor
import Synchronization
import Testing
import Traces

/// Two interfaces fed by two threads at once decide exactly as when fed one after the other: each interface's
/// pipeline runs under its own lock and only verdict changes meet in the shared state, while the control socket's
/// snapshot is taken throughout.
@Suite struct SensorEngineConcurrencyTests {
    static let interfaces = ["eth-a", "eth-b"]
    static let pool = HostAddress("203.0.113.7")!

    /// An interface's batches: each round (one interval), traffic of its eight hosts and an interval close, so that
    /// windows (120 intervals, sliding by 20) are scored; host `i`'s stratum session in rounds `i` and `i + 145`, so
    /// that verdicts turn mining, block, clear (ten intervals later) and turn again, the last ones holding at the end.
    static func batches(_ interface: Int) -> [(evidence: [(host: HostAddress, evidence: HostEvidence, interval: Int64)],
                                               batch: CaptureBatch)] {
        let hosts = (1...8).map { HostAddress("10.0.\(interface + 1).\($0)")! }
        return (Int64(0)..<Int64(160)).map { round in
            let interval = 1_000 + round
            let stratum = hosts.enumerated().filter { round == Int64($0.offset) || round == Int64($0.offset) + 145 }
                .flatMap { SensorEngineInlineTests.stratum($0.element, interval: interval) }
            let traffic = hosts.enumerated().map { index, host in
                CaptureEvent.host(HostInterval(host: host, index: interval, counters: IntervalCounters(
                    bytesReceived: UInt64(1000 * (index + 1)), bytesSent: UInt64(200 + 10 * Int(round)),
                    packetsReceived: UInt64(index + 2), packetsSent: 1)))
            }
            return (stratum, CaptureBatch(events: traffic + [.intervalClosed(index: interval)]))
        }
    }

    /// What the engine decided: each host's alerts in order (without their times), where the verdict table and the
    /// hosts ended, and the windows each interface decided.
    struct Outcome: Equatable {
        var alerts: [String: [String]]
        var rules: InlineRules?
        var blocked: [String]
        var levels: [String: String]
        var windowsDecided: [String: Int]
    }

    /// Counts the interval closes that scored windows.
    final class Scored: Sendable {
        let count = Atomic<Int>(0)
    }

    static func engine(_ outputs: SensorEngineInlineTests.Outputs, scored: Scored) throws -> SensorEngine {
        let configuration = try SensorConfiguration.parse("""
            [capture]
            interfaces = ["eth-a", "eth-b"]
            local_networks = ["10.0.0.0/8"]
            [alerts]
            episode_hold_seconds = 0
            [inline]
            queue = 5
            policy = "block"
            [verdict]
            evidence_hold_seconds = 10
            """)
        let engine = try SensorEngine(configuration: configuration, model: try SensorEngineInlineTests.model(),
                                      scoring: { _ in scored.count.add(1, ordering: .relaxed) },
                                      output: { alert in outputs.alerts.withLock { $0.append(alert) } })
        engine.attachQueue { rules in outputs.rules.withLock { $0.append(rules) } }
        return engine
    }

    static func feed(_ engine: SensorEngine, interface: Int) {
        for (evidence, batch) in batches(interface) {
            engine.add(evidence, from: interfaces[interface])
            engine.handle(batch, from: interfaces[interface], statistics: CaptureStatistics())
        }
    }

    static func outcome(_ engine: SensorEngine, _ outputs: SensorEngineInlineTests.Outputs) -> Outcome {
        let alerts = outputs.alerts.withLock { $0 }
        let snapshot = engine.snapshot()
        return Outcome(
            alerts: Dictionary(grouping: alerts, by: \.host).mapValues { records in
                records.map { record in
                    [record.event.rawValue, record.verdict, record.level.map { "\($0)" } ?? "-", "\(record.score)",
                     "\(record.windows)", record.action, record.requestedBy ?? "-",
                     record.evidence.map(\.kind).joined(separator: ",")].joined(separator: " ")
                }
            },
            rules: outputs.lastRules, blocked: snapshot.blocks.map(\.host),
            levels: Dictionary(uniqueKeysWithValues: snapshot.hosts.map {
                ($0.host.description, $0.level?.rawValue ?? "clear")
            }),
            windowsDecided: Dictionary(uniqueKeysWithValues: snapshot.interfaces.map { ($0.name, $0.windowsDecided) }))
    }

    @Test func twoInterfacesFedAtOnceDecideAsFedOneAfterTheOther() throws {
        let sequentialOutputs = SensorEngineInlineTests.Outputs()
        let sequentialScored = Scored()
        let sequential = try Self.engine(sequentialOutputs, scored: sequentialScored)
        Self.feed(sequential, interface: 0)
        Self.feed(sequential, interface: 1)
        let expected = Self.outcome(sequential, sequentialOutputs)
        #expect(expected.alerts.count == 16, "every host alerted on: \(expected.alerts.keys.sorted())")
        #expect(expected.alerts.values.allSatisfy { $0.contains { $0.hasPrefix("cleared") } })
        #expect(!expected.blocked.isEmpty && expected.rules?.blocked.count == expected.blocked.count)
        #expect(Self.interfaces.allSatisfy { (expected.windowsDecided[$0] ?? 0) > 0 })

        for _ in 0..<3 {
            let outputs = SensorEngineInlineTests.Outputs()
            let scored = Scored()
            let engine = try Self.engine(outputs, scored: scored)
            let finished = Atomic<Int>(0)
            for interface in Self.interfaces.indices {
                Thread {
                    Self.feed(engine, interface: interface)
                    finished.add(1, ordering: .sequentiallyConsistent)
                }.start()
            }
            // The control socket's view, taken while both interfaces decide: it returns, and names every source.
            var snapshots = 0
            repeat {
                let names = engine.snapshot().interfaces.map { $0.name }
                #expect(names == ["eth-a", "eth-b", "nfqueue:5"])
                snapshots += 1
            } while finished.load(ordering: .sequentiallyConsistent) < Self.interfaces.count
            #expect(snapshots > 0)
            #expect(Self.outcome(engine, outputs) == expected)
            #expect(scored.count.load(ordering: .relaxed) == sequentialScored.count.load(ordering: .relaxed))
        }
    }
}
