import Control
import Foundation
import Testing
import TestSupport

/// A UDP syslog collector that is down while alerts keep coming: the syslog queue stays within its bound, what it
/// cannot hold is dropped and counted (`stats`), and once the collector is back the queue reaches it without a
/// restart, as do new alerts.
@Suite(.serialized, .enabled(if: LoopbackSensor.unavailableReason == nil,
                             Comment(rawValue: LoopbackSensor.unavailableReason ?? "")))
struct SyslogUDPOutageTests {
    /// The syslog sink's queue (`SyslogSink.Configuration.capacity`).
    static let capacity = 1_024

    @Test func queueStaysBoundedDropsAreCountedAndDeliveryResumesWhenTheCollectorIsBack() async throws {
        // A port with nothing behind it for now: the collector is down.
        let port = try DatagramReceiver().port
        let sensor = try await LoopbackSensor(alerts: "journald = false\nsyslog = [\"udp:127.0.0.1:\(port)\"]")
        let raised = Self.capacity + 200
        await sensor.raiseAudits(raised)
        var down = try await sensor.output("syslog udp")
        #expect(try await sensor.eventually {
            down = try await sensor.output("syslog udp")
            return down.delivered + down.dropped + UInt64(down.queued) == UInt64(raised)
        }, "every alert is sent, queued or counted as dropped: \(down)")
        #expect(down.queued <= Self.capacity, "the queue keeps to its bound")
        #expect(down.dropped > 0, "what did not fit is counted")
        #expect(try await sensor.eventually(5) { try await sensor.output("syslog udp").lastError != nil },
                "the refused sends are reported")
        #expect(try await sensor.delivery().notStored == 0)

        // The collector is back: the sender's next attempt, within its backoff, empties the queue to it.
        let collector = try DatagramReceiver(port: port, receiveBuffer: 16 << 20)
        let atReturn = try await sensor.output("syslog udp")
        async let received = WebConsoleTests.offThePool {
            var messages = [String]()
            while let message = collector.receive(timeout: .seconds(messages.isEmpty ? 15 : 3)) {
                messages.append(message)
            }
            return messages
        }
        #expect(try await sensor.eventually(15) { try await sensor.output("syslog udp").queued == 0 },
                "the queued alerts went out without a restart")
        await sensor.raiseAudits(1)
        let messages = try await received
        // A message the sender had under way as the collector came back may still be lost, as UDP loses it.
        #expect(messages.count >= atReturn.queued, "the queue and the alert raised after the outage arrived")
        let back = try await sensor.output("syslog udp")
        #expect(back.dropped == down.dropped, "nothing more was dropped")
        #expect(back.delivered + back.dropped == UInt64(raised + 1))
        #expect(back.lastError == nil)
        #expect(sensor.stop() == 0)
    }
}
