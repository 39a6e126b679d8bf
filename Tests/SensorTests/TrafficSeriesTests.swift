import Sensor
import Testing
import Traces

/// A host's traffic by minute, ten minutes and hour: intervals summed into their bucket, the last hour, six hours and
/// day kept, late intervals placed, a span answered from the finest resolution that keeps it.
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
        #expect(series.buckets.count == 60)
        #expect(series.buckets.first?.firstInterval == Int64(1200))
        series.add(interval: 65 * 120 + 7, counters: Self.bytes(5), bucketIntervals: 120)
        #expect(series.buckets.first { $0.firstInterval == 65 * 120 }?.counters.bytesReceived == 6)
        series.add(interval: 3 * 120, counters: Self.bytes(5), bucketIntervals: 120)
        #expect(series.buckets.first?.firstInterval == Int64(1200), "older than the hour kept: dropped")
        #expect(TrafficSeries.bucketIntervals(intervalSeconds: 0.5) == 120)
    }

    @Test func coarserResolutionsKeepSixHoursAndADay() {
        var series = TrafficSeries()
        // A day and a half of one-second intervals, one interval in ten counted: 60 to the minute.
        for index in stride(from: Int64(0), to: 36 * 3600, by: 10) {
            series.add(interval: index, counters: Self.bytes(1), bucketIntervals: 60)
        }
        #expect(series.buckets.count == 60 && series.buckets.last?.firstInterval == Int64(36 * 3600 - 60))
        let minutes = series.buckets(covering: 15 * 60, bucketIntervals: 60)
        #expect(minutes.resolution.minutes == 1 && minutes.buckets.count == 15)
        #expect(minutes.buckets.first?.firstInterval == Int64(36 * 3600 - 15 * 60))
        #expect(minutes.buckets.allSatisfy { $0.counters.bytesReceived == 6 })
        let sixHours = series.buckets(covering: 6 * 3600, bucketIntervals: 60)
        #expect(sixHours.resolution.minutes == 10 && sixHours.buckets.count == 36)
        #expect(sixHours.buckets.allSatisfy { $0.counters.bytesReceived == 60 })
        #expect(sixHours.buckets.first?.firstInterval == Int64(30 * 3600))
        let twoHours = series.buckets(covering: 2 * 3600, bucketIntervals: 60)
        #expect(twoHours.resolution.minutes == 10 && twoHours.buckets.count == 12)
        let day = series.buckets(covering: 86400, bucketIntervals: 60)
        #expect(day.resolution.minutes == 60 && day.buckets.count == 24)
        #expect(day.buckets.first?.firstInterval == Int64(12 * 3600) && day.buckets.allSatisfy { $0.counters.bytesReceived == 360 })
        #expect(series.buckets(covering: 7 * 86400, bucketIntervals: 60).buckets.count == 24, "a day at most")
        // What a host tracked all day costs, as TrafficSeries' documentation states it: 120 buckets of 40 bytes.
        #expect(TrafficSeries.Resolution.all.map(\.capacity).reduce(0, +) == 120)
        #expect(MemoryLayout<TrafficSeries.Bucket>.stride == 40)
    }

    @Test func aSpanEndsAtTheHostsLatestTrafficAndSkipsQuietBuckets() {
        var series = TrafficSeries()
        #expect(series.buckets(covering: 3600, bucketIntervals: 60).buckets.isEmpty)
        series.add(interval: 0, counters: Self.bytes(1), bucketIntervals: 60)
        series.add(interval: 50 * 60, counters: Self.bytes(2), bucketIntervals: 60)
        // Quiet minutes between hold no bucket; the last 20 minutes hold only the latest one.
        #expect(series.buckets(covering: 20 * 60, bucketIntervals: 60).buckets.map(\.firstInterval) == [Int64(50 * 60)])
        #expect(series.buckets(covering: 3600, bucketIntervals: 60).buckets.map(\.firstInterval) == [0, Int64(50 * 60)])
        // A late interval lands in every resolution's bucket.
        series.add(interval: 50 * 60 + 30, counters: Self.bytes(4), bucketIntervals: 60)
        #expect(series.buckets(covering: 6 * 3600, bucketIntervals: 60).buckets.map(\.counters.bytesReceived) == [1, 6])
    }

    @Test func aLateBucketPlacedInAFullHourDropsTheOldest() {
        var series = TrafficSeries()
        // Every other minute for two hours, a minute being one interval: the hour keeps the latest 60 of them.
        for minute in stride(from: Int64(0), to: 120, by: 2) {
            series.add(interval: minute, counters: Self.bytes(1), bucketIntervals: 1)
        }
        #expect(series.buckets.count == 60)
        series.add(interval: 101, counters: Self.bytes(7), bucketIntervals: 1)
        #expect(series.buckets.count == 60, "never more than the hour's 60 buckets")
        #expect(series.buckets.first?.firstInterval == 2, "the oldest went")
        #expect(series.buckets.first { $0.firstInterval == 101 }?.counters.bytesReceived == 7)
    }
}
