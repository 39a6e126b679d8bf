import Traces

/// A host's recent traffic in buckets of whole intervals (a minute each in the sensor), the latest `capacity` of them:
/// what the console's host page plots.
public struct TrafficSeries: Hashable, Sendable {
    /// One bucket: its first interval index and the traffic counted in it.
    public struct Bucket: Hashable, Sendable {
        public var firstInterval: Int64
        public var counters: IntervalCounters
    }

    /// Oldest first, at most `capacity`.
    public private(set) var buckets: [Bucket] = []
    public static let capacity = 60

    public init() {}

    /// Intervals in a minute's bucket, for intervals of `intervalSeconds`.
    public static func bucketIntervals(intervalSeconds: Double) -> Int64 {
        max(1, Int64((60 / intervalSeconds).rounded()))
    }

    /// Counts an interval's traffic into the bucket of `bucketIntervals` intervals it falls in. An interval older than
    /// the oldest bucket kept is dropped; intervals may come out of order within the buckets kept.
    public mutating func add(interval: Int64, counters: IntervalCounters, bucketIntervals: Int64) {
        let width = max(1, bucketIntervals)
        let first = interval - ((interval % width) + width) % width
        guard let last = buckets.last, first <= last.firstInterval else {
            buckets.append(Bucket(firstInterval: first, counters: counters))
            if buckets.count > Self.capacity { buckets.removeFirst(buckets.count - Self.capacity) }
            return
        }
        if let index = buckets.lastIndex(where: { $0.firstInterval == first }) {
            buckets[index].counters += counters
        } else if first > buckets[0].firstInterval,
                  let index = buckets.firstIndex(where: { $0.firstInterval > first }) {
            buckets.insert(Bucket(firstInterval: first, counters: counters), at: index)
        }
    }
}
