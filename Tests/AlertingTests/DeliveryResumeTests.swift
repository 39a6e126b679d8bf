@testable import Alerting
import Foundation
import Testing
import TestSupport

/// Delivery progress kept in the store: it moves over settled records only, and a new pipeline on the same store
/// delivers again what a sink had not settled.
@Suite struct DeliveryResumeTests {
    @Test func progressMovesOverTheSettledPrefixOnly() {
        let progress = DeliveryProgress()
        for id in Int64(1)...4 { progress.handed(id) }
        #expect(progress.settle(3) == nil, "1 and 2 still wait")
        #expect(progress.settle(1) == 1)
        #expect(progress.settle(2) == 3, "2 settles, and 3 had")
        #expect(progress.settle(9) == nil, "an id never handed over changes nothing")
        #expect(progress.settle(4) == 4)
    }

    @Test func aRestartedPipelineSendsWhatASinkHadNotSettledAndTheFileGetsEachAlertOnce() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let json = "\(directory)/alerts.json"
        // A TCP collector that is down: syslog records wait in the sink's queue and are never settled.
        let port = try TCPReceiver().port
        let syslog = try SyslogSink(.init(transport: .tcp(host: "127.0.0.1", port: port),
                                          initialBackoff: .milliseconds(20), maximumBackoff: .milliseconds(50)))
        let first = AlertPipeline(store: try AlertStore(directory: directory),
                                  sinks: [try JSONLinesSink(path: json), syslog])
        #expect(try first.resumeDeliveries().isEmpty, "a new store has nothing to catch up on")
        for index in 0..<6 { try first.raise(Fixtures.mining(host: "10.0.0.\(index)")) }
        try await first.shutdown(within: .milliseconds(100))
        #expect(syslog.counters.dropped == 6, "stopped with the collector down: counted as dropped")

        // The collector is back: a new pipeline on the same store sends the six, and the file gets none again.
        let collector = try TCPReceiver(port: port)
        let second = AlertPipeline(store: try AlertStore(directory: directory),
                                   sinks: [try JSONLinesSink(path: json), try SyslogSink(.init(
                                       transport: .tcp(host: "127.0.0.1", port: port)))])
        let resumed = try second.resumeDeliveries()
        #expect(resumed == ["syslog tcp 127.0.0.1:\(port)": 6], "the JSON file had settled all six")
        let frames = await Task.detached { collector.frames(6, timeout: .seconds(10)) }.value
        #expect(frames.count == 6)
        #expect((0..<6).allSatisfy { index in frames.contains { $0.contains("10.0.0.\(index)") } })
        try await second.shutdown()
        let lines = try String(contentsOfFile: json, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 6, "the JSON file had them all and took none twice")

        // Everything settled now: a third start has nothing to send.
        let third = AlertPipeline(store: try AlertStore(directory: directory),
                                  sinks: [try JSONLinesSink(path: json)])
        #expect(try third.resumeDeliveries().isEmpty)
        try await third.shutdown()
    }

    @Test func theJSONFileSkipsARecordItWroteJustBeforeAKill() async throws {
        let json = "\(try Fixtures.temporaryDirectory())/alerts.json"
        let before = try JSONLinesSink(path: json)
        try await before.deliver(Fixtures.mining(host: "10.0.0.5"), id: 5) {}
        // The daemon was killed before the delivery was recorded: the record comes again after the restart.
        let after = try JSONLinesSink(path: json)
        try await after.deliver(Fixtures.mining(host: "10.0.0.5"), id: 5) {}
        try await after.deliver(Fixtures.mining(host: "10.0.0.6"), id: 6) {}
        let lines = try String(contentsOfFile: json, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.map { $0.contains("\"alert_id\":5") } == [true, false])
        #expect(lines.last?.contains("\"alert_id\":6") == true)
    }
}
