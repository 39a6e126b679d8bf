import Alerting
import Foundation
import TestSupport
import Testing

@Suite struct SyslogSinkTests {
    private func configuration(_ transport: SyslogSink.Transport, capacity: Int = 64) -> SyslogSink.Configuration {
        SyslogSink.Configuration(
            transport: transport, message: SyslogMessage(hostname: "sensor-box"), capacity: capacity,
            initialBackoff: .milliseconds(20), maximumBackoff: .milliseconds(200), ioTimeout: .seconds(2))
    }

    @Test func udpCollectorReceivesOneParsableMessagePerDatagram() async throws {
        let receiver = try DatagramReceiver()
        let sink = try SyslogSink(configuration(.udp(host: "127.0.0.1", port: receiver.port)))
        try await sink.deliver(Fixtures.mining(host: "10.0.0.5"))
        try await sink.deliver(Fixtures.mining(host: "10.0.0.6", event: .reminder))
        let firstText = try #require(receiver.receive())
        let secondText = try #require(receiver.receive())
        let first = try #require(ParsedSyslog(firstText))
        let second = try #require(ParsedSyslog(secondText))
        #expect(first.parameters["host"] == "10.0.0.5")
        #expect(first.messageID == "mining")
        #expect(second.parameters["host"] == "10.0.0.6")
        #expect(second.messageID == "reminder")
        await sink.shutdown()
        #expect(sink.counters.delivered == 2)
        #expect(sink.counters.dropped == 0)
    }

    @Test func unixDatagramSocketReceivesTheMessage() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = "\(directory)/log"
        let receiver = try DatagramReceiver(unixPath: path)
        let sink = try SyslogSink(configuration(.unix(path: path)))
        try await sink.deliver(Fixtures.mining())
        let text = try #require(receiver.receive())
        let parsed = try #require(ParsedSyslog(text))
        #expect(parsed.structuredDataID == "coinsentry@32473")
        #expect(parsed.parameters["windows"] == "48")
        await sink.shutdown()
        #expect(sink.counters.delivered == 1)
    }

    @Test func localSocketThatAppearsLaterGetsTheQueuedRecord() async throws {
        let path = "\(try Fixtures.temporaryDirectory())/log"
        let sink = try SyslogSink(configuration(.unix(path: path)))
        try await sink.deliver(Fixtures.mining(host: "10.0.3.1"))
        // As when rsyslog restarts: no socket yet, so the record waits in the queue.
        #expect(await Fixtures.eventually { sink.status.lastError?.code == .socket })
        #expect(sink.status.queued == 1)
        let receiver = try DatagramReceiver(unixPath: path)
        let text = try #require(receiver.receive())
        #expect(ParsedSyslog(text)?.parameters["host"] == "10.0.3.1")
        await sink.shutdown()
        #expect(sink.counters.delivered == 1)
        #expect(sink.counters.dropped == 0)
    }

    @Test func tcpCollectorGetsOctetCountedFramesAndQueuedRecordsAfterARestart() async throws {
        let first = try TCPReceiver()
        let port = first.port
        let sink = try SyslogSink(configuration(.tcp(host: "127.0.0.1", port: port)))
        try await sink.deliver(Fixtures.mining(host: "10.0.0.1"))
        let before = first.frames(1).compactMap(ParsedSyslog.init)
        #expect(before.map { $0.parameters["host"] } == ["10.0.0.1"])

        first.stop()
        for host in ["10.0.0.2", "10.0.0.3", "10.0.0.4"] { try await sink.deliver(Fixtures.mining(host: host)) }
        // With the collector gone the sink must fail to connect and keep the records queued.
        #expect(await Fixtures.eventually { sink.status.lastError != nil })
        #expect(sink.status.queued == 3)
        #expect(sink.counters.delivered == 1)

        let second = try TCPReceiver(port: port)
        let after = second.frames(3).compactMap(ParsedSyslog.init)
        #expect(after.map { $0.parameters["host"] } == ["10.0.0.2", "10.0.0.3", "10.0.0.4"])
        #expect(await Fixtures.eventually { sink.counters.delivered == 4 })
        #expect(sink.status.connected)
        await sink.shutdown()
        #expect(sink.counters.dropped == 0)
    }

    @Test func fullQueueDropsAndCountsAndShutdownCountsWhatIsLeft() async throws {
        let sink = try SyslogSink(configuration(.tcp(host: "127.0.0.1", port: try unusedTCPPort()), capacity: 3))
        for index in 0..<10 { try await sink.deliver(Fixtures.mining(host: "10.0.1.\(index)")) }
        #expect(sink.counters.dropped == 7)
        #expect(sink.status.queued == 3)
        await sink.shutdown(within: .milliseconds(100))
        #expect(sink.counters.dropped == 10)
        #expect(sink.counters.delivered == 0)
        await #expect(throws: AlertingError.self) { try await sink.deliver(Fixtures.mining()) }
    }

    @Test func invalidCapacityIsRefused() {
        #expect(throws: AlertingError.self) {
            try SyslogSink(configuration(.udp(host: "127.0.0.1", port: 514), capacity: 0))
        }
    }
}
