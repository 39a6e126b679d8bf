import Alerting
import Foundation
import Synchronization
import TestSupport
import Testing

/// A sink that holds every delivery until the test opens its gate, standing in for a collector that hangs.
private final class GatedSink: AlertSink {
    let name = "gated"
    let counters = SinkCounters()
    let started = Atomic<Int>(0)
    private let gate: AsyncStream<Void>
    private let opener: AsyncStream<Void>.Continuation

    init() { (gate, opener) = AsyncStream.makeStream(of: Void.self) }

    func open() { opener.finish() }

    func deliver(_ record: AlertRecord) async throws(AlertingError) {
        started.add(1, ordering: .relaxed)
        for await _ in gate {}
        counters.countDelivered()
    }
}

/// A sink that refuses every record, as journald does when it is not running.
private struct FailingSink: AlertSink {
    let name = "failing"
    let counters = SinkCounters()

    func deliver(_ record: AlertRecord) async throws(AlertingError) {
        throw AlertingError(.journal, "not running")
    }
}

@Suite struct AlertDispatcherTests {
    @Test func aHangingSinkDoesNotDelayTheOthersAndItsOverflowIsCounted() async throws {
        let path = "\(try Fixtures.temporaryDirectory())/alerts.json"
        let file = try JSONLinesSink(path: path)
        let gated = GatedSink()
        let dispatcher = AlertDispatcher(sinks: [gated, file], capacity: 4)
        dispatcher.publish(Fixtures.mining(host: "10.0.2.0"))
        #expect(await Fixtures.eventually { gated.started.load(ordering: .relaxed) == 1 })
        for index in 1..<10 {
            dispatcher.publish(Fixtures.mining(host: "10.0.2.\(index)"))
            // The file sink keeps up record by record while the gated sink hangs on its first.
            #expect(await Fixtures.eventually { file.counters.delivered == UInt64(index + 1) })
        }
        // The gated sink holds one record in deliver and four in its queue; the other five were dropped.
        #expect(gated.counters.dropped == 5)
        #expect(dispatcher.statistics[0].queued == 4)

        gated.open()
        await dispatcher.finish()
        #expect(gated.counters.delivered == 5)
        #expect(file.counters.dropped == 0)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 10)
    }

    @Test func aFailingSinkCountsDropsAndKeepsItsLastError() async {
        let failing = FailingSink()
        let dispatcher = AlertDispatcher(sinks: [failing])
        dispatcher.publish(Fixtures.mining())
        dispatcher.publish(Fixtures.mining())
        await dispatcher.finish()
        let statistics = dispatcher.statistics[0]
        #expect(statistics.dropped == 2)
        #expect(statistics.delivered == 0)
        #expect(statistics.lastError?.code == .journal)
    }

    @Test func recordsPublishedAfterFinishAreCountedAsDropped() async {
        let failing = FailingSink()
        let dispatcher = AlertDispatcher(sinks: [failing])
        await dispatcher.finish()
        dispatcher.publish(Fixtures.mining())
        #expect(failing.counters.dropped == 1)
        #expect(dispatcher.statistics[0].lastError == nil)
    }
}
