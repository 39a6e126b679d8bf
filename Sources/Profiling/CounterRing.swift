import Foundation
import Traces

/// The last `capacity` intervals of one host's four counters, oldest overwritten first.
///
/// Counts are stored as `UInt32` (saturating), 16 bytes per interval, so six minutes of 1 s intervals take 5.6 KiB.
/// Four billion bytes in one interval would need a 32 Gbit/s host on 1 s buckets.
struct CounterRing: Sendable {
    /// Interleaved rows: bytes received, bytes sent, packets received, packets sent.
    private var storage: [UInt32]
    private(set) var capacity: Int
    /// Index of the slot the next interval goes to.
    private var head = 0

    init(capacity: Int) {
        self.capacity = capacity
        storage = [UInt32](repeating: 0, count: capacity * 4)
    }

    /// Appends one interval, dropping the oldest.
    mutating func append(_ counters: IntervalCounters) {
        let base = head * 4
        storage[base] = Self.saturated(counters.bytesReceived)
        storage[base + 1] = Self.saturated(counters.bytesSent)
        storage[base + 2] = Self.saturated(counters.packetsReceived)
        storage[base + 3] = Self.saturated(counters.packetsSent)
        head = head + 1 == capacity ? 0 : head + 1
    }

    /// Appends `count` intervals of silence (clears the ring when `count` reaches its capacity).
    mutating func appendZeros(_ count: Int) {
        if count >= capacity {
            for index in storage.indices { storage[index] = 0 }
            return
        }
        for _ in 0..<count { append(.zero) }
    }

    /// Copies the newest `length` intervals of all four series, oldest first, as raw counts: series `s` (in the
    /// interleaved order) goes to `buffer[s * stride ..< s * stride + length]`.
    func copyWindow(newest length: Int, into buffer: UnsafeMutableBufferPointer<Double>, stride: Int) {
        var slot = head - length
        if slot < 0 { slot += capacity }
        storage.withUnsafeBufferPointer { rows in
            for position in 0..<length {
                let base = slot * 4
                buffer[position] = Double(rows[base])
                buffer[stride + position] = Double(rows[base + 1])
                buffer[2 * stride + position] = Double(rows[base + 2])
                buffer[3 * stride + position] = Double(rows[base + 3])
                slot = slot + 1 == capacity ? 0 : slot + 1
            }
        }
    }

    /// Packets received and sent over the newest `length` intervals.
    func packets(newest length: Int) -> UInt64 {
        var slot = head - length
        if slot < 0 { slot += capacity }
        var total: UInt64 = 0
        for _ in 0..<length {
            total += UInt64(storage[slot * 4 + 2]) + UInt64(storage[slot * 4 + 3])
            slot = slot + 1 == capacity ? 0 : slot + 1
        }
        return total
    }

    /// Heap bytes held by the ring.
    var heapBytes: Int { storage.capacity * MemoryLayout<UInt32>.stride }

    private static func saturated(_ value: UInt64) -> UInt32 { value > UInt64(UInt32.max) ? .max : UInt32(value) }
}
