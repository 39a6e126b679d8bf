import Traces

/// A host's recent traffic in buckets of whole intervals, kept at three resolutions as round-robin archives keep them:
/// by minute for the last hour, by ten minutes for the last six hours, by hour for the last day. What the console's
/// host page plots, for the span an operator picks (``buckets(covering:bucketIntervals:)``).
///
/// Room for every bucket kept (120 of 40 bytes, about 4.8 KiB, and one spare an archive) is taken when the series
/// is made.
public struct TrafficSeries: Hashable, Sendable {
    /// One bucket: its first interval index and the traffic counted in it.
    public struct Bucket: Hashable, Sendable {
        public var firstInterval: Int64
        public var counters: IntervalCounters
    }

    /// One resolution kept: buckets of `minutes` minutes, the latest `capacity` of them.
    public struct Resolution: Hashable, Sendable {
        public let minutes: Int
        public let capacity: Int

        /// The span its buckets cover together, in seconds.
        public var seconds: Double { Double(minutes * capacity * 60) }

        /// The last hour by minute, the last six hours by ten minutes, the last day by hour; finest first.
        public static let all = [Resolution(minutes: 1, capacity: 60), Resolution(minutes: 10, capacity: 36),
                                 Resolution(minutes: 60, capacity: 24)]
    }

    /// One archive per resolution of ``Resolution/all``, each oldest first.
    private var archives: [[Bucket]]

    /// An empty series with room for every bucket it keeps: a host's series is allocated once, at its first sight,
    /// and does not grow with the host's age.
    public init() {
        archives = Resolution.all.map { resolution in
            var archive = [Bucket]()
            archive.reserveCapacity(resolution.capacity + 1)
            return archive
        }
    }

    /// The last hour by minute, oldest first, at most 60.
    public var buckets: [Bucket] { archives[0] }

    /// Intervals in a minute's bucket, for intervals of `intervalSeconds`.
    public static func bucketIntervals(intervalSeconds: Double) -> Int64 {
        max(1, Int64((60 / intervalSeconds).rounded()))
    }

    /// Counts an interval's traffic into its bucket at every resolution; `bucketIntervals` is the intervals in a
    /// minute. An interval older than the oldest bucket an archive keeps is left out of it; intervals may come out of
    /// order within the buckets kept.
    public mutating func add(interval: Int64, counters: IntervalCounters, bucketIntervals: Int64) {
        for (index, resolution) in Resolution.all.enumerated() {
            Self.add(interval, counters, width: max(1, bucketIntervals) * Int64(resolution.minutes),
                     capacity: resolution.capacity, to: &archives[index])
        }
    }

    private static func add(_ interval: Int64, _ counters: IntervalCounters, width: Int64, capacity: Int,
                            to buckets: inout [Bucket]) {
        let first = interval - ((interval % width) + width) % width
        guard let last = buckets.last, first <= last.firstInterval else {
            buckets.append(Bucket(firstInterval: first, counters: counters))
            if buckets.count > capacity { buckets.removeFirst(buckets.count - capacity) }
            return
        }
        if let index = buckets.lastIndex(where: { $0.firstInterval == first }) {
            buckets[index].counters += counters
        } else if first > buckets[0].firstInterval,
                  let index = buckets.firstIndex(where: { $0.firstInterval > first }) {
            buckets.insert(Bucket(firstInterval: first, counters: counters), at: index)
            if buckets.count > capacity { buckets.removeFirst(buckets.count - capacity) }
        }
    }

    /// The buckets of the last `seconds` up to the host's latest bucket, from the finest resolution that keeps that
    /// span (a span beyond a day gets the day); `bucketIntervals` is the intervals in a minute.
    public func buckets(covering seconds: Double, bucketIntervals: Int64) -> (resolution: Resolution, buckets: [Bucket]) {
        let index = Resolution.all.firstIndex { $0.seconds >= seconds } ?? Resolution.all.count - 1
        let resolution = Resolution.all[index]
        let archive = archives[index]
        guard let last = archive.last else { return (resolution, []) }
        let width = max(1, bucketIntervals) * Int64(resolution.minutes)
        let count = max(1, Int64((min(seconds, resolution.seconds) / Double(resolution.minutes * 60)).rounded(.up)))
        let oldest = last.firstInterval - (count - 1) * width
        return (resolution, Array(archive.drop(while: { $0.firstInterval < oldest })))
    }
}
