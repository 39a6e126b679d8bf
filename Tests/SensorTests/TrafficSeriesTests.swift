import Sensor
import Testing
import Traces

/// A host's traffic by minute: intervals summed into their bucket, the last hour kept, late intervals placed.
@Suite struct TrafficSeriesTests {
    static func bytes(_ received: UInt64) -> IntervalCounters {
        IntervalCounters(bytesReceived: received, bytesSent: 1, packetsReceived: 1, packetsSent: 1)
    }

    @Test func intervalsSumIntoTheirMinute() {
        var series = TrafficSeries()
        // Half-second intervals: 120 to the minute.
        for index in Int64(240)..<Int64(480) { series.add(interval: index, counters: Self.bytes(10), bucketIntervals: 120) }
        #expect(series.buckets.map(\.firstInterval) == [240, 360])
        #expect(series.buckets.map(\.counters.bytesReceived) == [1200, 1200])
        #expect(series.buckets.map(\.counters.bytesSent) == [120, 120])
    }

    @Test func theLastHourIsKeptAndLateIntervalsFindTheirBucket() {
        var series = TrafficSeries()
        for minute in Int64(0)..<Int64(70) { series.add(interval: minute * 120, counters: Self.bytes(1), bucketIntervals: 120) }
        #expect(series.buckets.count == TrafficSeries.capacity)
        #expect(series.buckets.first?.firstInterval == Int64(1200))
        series.add(interval: 65 * 120 + 7, counters: Self.bytes(5), bucketIntervals: 120)
        #expect(series.buckets.first { $0.firstInterval == 65 * 120 }?.counters.bytesReceived == 6)
        series.add(interval: 3 * 120, counters: Self.bytes(5), bucketIntervals: 120)
        #expect(series.buckets.first?.firstInterval == Int64(1200), "older than the hour kept: dropped")
        #expect(TrafficSeries.bucketIntervals(intervalSeconds: 0.5) == 120)
    }
}
