import Detection
import Foundation
import Randomness
import Traces

/// A stated model of sparse, periodic ordinary traffic, for making the hard negatives the Nypto traces lack.
///
/// Every profile is a set of periodic exchanges; each exchange starts at `period × k + uniform jitter` and puts its
/// packets and bytes into the interval it starts in (and the next, for a TLS session). The sizes are those of the
/// protocols on the wire (IP bytes, TLS 1.3, Ethernet MTU 1500):
/// - **mail polling** (IMAPS/POP3S poll): a new TLS session each period: client 9–13 packets, 1.5–3 kB; server 8–12
///   packets, 5–8 kB, over two intervals; with probability 0.1 a new message, 15–80 kB more from the server.
/// - **chat keepalive** (XMPP/WebSocket over TLS): one 80–140 byte record each way plus a 52-byte ACK; and
///   messages as a Poisson process (mean gap 90 s), 1–4 packets each way of 150–1500 bytes.
/// - **MQTT keepalive**: PINGREQ/PINGRESP in TLS, 1 packet of 54–60 bytes each way plus an ACK.
public struct SparsePeriodicTraffic: Sendable {
    /// One periodic source.
    public enum Source: Hashable, Sendable {
        case mailPolling(periodSeconds: Double)
        case chatKeepalive(periodSeconds: Double, messages: Bool)
        case mqttKeepalive(periodSeconds: Double)
    }

    /// The sources that run together on the host.
    public var sources: [Source]

    public init(sources: [Source]) { self.sources = sources }

    /// Renders `duration` seconds of the host's traffic in rows of `interval` seconds.
    public func render(duration: Double, interval: Double, seed: UInt64) -> Trace {
        var generator = SplitMix64(seed: seed)
        var rows = [IntervalCounters](repeating: .zero, count: Int(duration / interval))
        func add(at time: Double, received: (UInt64, UInt64), sent: (UInt64, UInt64)) {
            let row = Int(time / interval)
            guard row >= 0, row < rows.count else { return }
            rows[row] += IntervalCounters(
                bytesReceived: received.0, bytesSent: sent.0, packetsReceived: received.1, packetsSent: sent.1)
        }
        func uniform(_ range: ClosedRange<UInt64>) -> UInt64 { UInt64.random(in: range, using: &generator) }
        for source in sources {
            switch source {
            case .mailPolling(let period):
                var time = Double.random(in: 0..<period, using: &generator)
                while time < duration {
                    add(at: time, received: (uniform(2500...4000), uniform(4...6)),
                        sent: (uniform(800...1500), uniform(5...7)))
                    add(at: time + interval, received: (uniform(2500...4000), uniform(4...6)),
                        sent: (uniform(700...1500), uniform(4...6)))
                    if Double.random(in: 0..<1, using: &generator) < 0.1 {
                        let bytes = uniform(15_000...80_000)
                        let acks = bytes / 2896 + 1
                        add(at: time + interval, received: (bytes, bytes / 1448 + 1), sent: (52 * acks, acks))
                    }
                    time += period * Double.random(in: 0.95...1.05, using: &generator)
                }
            case .chatKeepalive(let period, let messages):
                var time = Double.random(in: 0..<period, using: &generator)
                while time < duration {
                    add(at: time, received: (uniform(80...140) + 52, 2), sent: (uniform(80...140), 1))
                    time += period + Double.random(in: -1...1, using: &generator)
                }
                guard messages else { break }
                time = 0
                while true {
                    time += -90 * log(Double.random(in: Double.ulpOfOne..<1, using: &generator))
                    guard time < duration else { break }
                    let packets = uniform(1...4)
                    add(at: time, received: (packets * uniform(150...1500), packets),
                        sent: (packets * uniform(150...1500), packets))
                }
            case .mqttKeepalive(let period):
                var time = Double.random(in: 0..<period, using: &generator)
                while time < duration {
                    add(at: time, received: (uniform(54...60) + 52, 2), sent: (uniform(54...60), 1))
                    time += period + Double.random(in: -0.5...0.5, using: &generator)
                }
            }
        }
        return Trace(rows: rows, interval: interval)
    }
}
