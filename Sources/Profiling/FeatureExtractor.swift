import Foundation

/// Computes the feature vector of a host's windows from its counter ring.
///
/// Layout: for each window length (ascending), for each `CounterSeries` every `WindowFeature` in its order, then
/// every `HostFeature`. Names read `w120s.bytesReceived.p95` and `w120s.host.activeShare`.
public struct FeatureExtractor: Sendable {
    /// The settings the extractor was built for.
    public let settings: WindowSettings
    /// Feature names in vector order.
    public let featureNames: [String]
    private let lengths: [Int]
    private let scalograms: [MorletScalogram]
    private let longest: Int
    private let transformSize: Int

    /// - Precondition: `settings.validate()` does not throw.
    public init(settings: WindowSettings) {
        self.settings = settings
        lengths = settings.windowIntervals
        scalograms = lengths.map { MorletScalogram(length: $0, scales: WindowFeature.scales) }
        longest = lengths.last ?? 0
        transformSize = scalograms.map(\.transformSize).max() ?? 0
        featureNames = settings.windowSeconds.flatMap { seconds in
            let prefix = "w\(Self.format(seconds))s"
            return CounterSeries.allCases.flatMap { series in
                WindowFeature.allCases.map { "\(prefix).\(series.name).\($0.rawValue)" }
            } + HostFeature.allCases.map { "\(prefix).host.\($0.rawValue)" }
        }
    }

    /// Features per window length.
    public static var featuresPerWindow: Int {
        CounterSeries.allCases.count * seriesFeatureCount + HostFeature.allCases.count
    }

    private static let seriesFeatureCount = WindowFeature.allCases.count

    /// `log1p` of the counts below this, tabulated (the same values `log1p` returns).
    private static let tabulated = 4096
    private static let logTable: [Double] = (0..<tabulated).map { log1p(Double($0)) }

    /// The feature vector for the windows ending at the ring's newest interval.
    func features(of ring: CounterRing) -> [Double] {
        let longest = longest, transformSize = transformSize
        let scratchCount = 5 * longest + 2 * transformSize
        return [Double](unsafeUninitializedCapacity: featureNames.count) { output, initialized in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: scratchCount) { scratch in
                let series = UnsafeMutableBufferPointer(rebasing: scratch[0..<(4 * longest)])
                let selection = UnsafeMutableBufferPointer(rebasing: scratch[(4 * longest)..<(5 * longest)])
                let real = UnsafeMutableBufferPointer(
                    rebasing: scratch[(5 * longest)..<(5 * longest + transformSize)])
                let imag = UnsafeMutableBufferPointer(
                    rebasing: scratch[(5 * longest + transformSize)..<(5 * longest + 2 * transformSize)])
                Self.logTable.withUnsafeBufferPointer { table in
                    var offset = 0
                    for (windowIndex, length) in lengths.enumerated() {
                        ring.copyWindow(newest: length, into: series, stride: longest)
                        let width = Self.featuresPerWindow
                        extractWindow(
                            length: length, series: series, selection: selection,
                            scalogram: scalograms[windowIndex], real: real, imag: imag, table: table,
                            into: UnsafeMutableBufferPointer(rebasing: output[offset..<(offset + width)]))
                        offset += width
                    }
                }
            }
            initialized = featureNames.count
        }
    }

    private func extractWindow(
        length: Int, series: UnsafeMutableBufferPointer<Double>, selection: UnsafeMutableBufferPointer<Double>,
        scalogram: MorletScalogram, real: UnsafeMutableBufferPointer<Double>, imag: UnsafeMutableBufferPointer<Double>,
        table: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>
    ) {
        let stride = longest
        func window(_ index: Int) -> UnsafeMutableBufferPointer<Double> {
            UnsafeMutableBufferPointer(rebasing: series[(index * stride)..<(index * stride + length)])
        }
        let perSeries = Self.seriesFeatureCount
        Self.hostFeatures(
            bytesReceived: UnsafeBufferPointer(window(0)), bytesSent: UnsafeBufferPointer(window(1)),
            packetsReceived: UnsafeBufferPointer(window(2)), packetsSent: UnsafeBufferPointer(window(3)),
            into: UnsafeMutableBufferPointer(rebasing: out[(4 * perSeries)...]))
        var means = (0.0, 0.0, 0.0, 0.0)
        for index in 0..<4 {
            let x = window(index)
            if settings.counterScale == .log1p {
                for t in 0..<length {
                    let value = x[t]
                    x[t] = value < Double(Self.tabulated) ? table[Int(value)] : log1p(value)
                }
            }
            let slot = UnsafeMutableBufferPointer(rebasing: out[(index * perSeries)..<((index + 1) * perSeries)])
            let mean = Self.moments(UnsafeBufferPointer(x), selection: selection, into: slot)
            switch index {
            case 0: means.0 = mean
            case 1: means.1 = mean
            case 2: means.2 = mean
            default: means.3 = mean
            }
        }
        let spectral = WindowFeature.scalogram2.offset
        let spectralCount = scalogram.outputsPerSeries
        func spectralSlot(_ index: Int) -> UnsafeMutableBufferPointer<Double> {
            let start = index * perSeries + spectral
            return UnsafeMutableBufferPointer(rebasing: out[start..<(start + spectralCount)])
        }
        scalogram.spectra(
            UnsafeBufferPointer(window(0)), meanA: means.0, UnsafeBufferPointer(window(1)), meanB: means.1,
            real: real, imag: imag, outputA: spectralSlot(0), outputB: spectralSlot(1))
        scalogram.spectra(
            UnsafeBufferPointer(window(2)), meanA: means.2, UnsafeBufferPointer(window(3)), meanB: means.3,
            real: real, imag: imag, outputA: spectralSlot(2), outputB: spectralSlot(3))
    }

    /// Writes mean, median, std, percentiles and silence statistics of one series; returns the mean.
    private static func moments(
        _ x: UnsafeBufferPointer<Double>, selection: UnsafeMutableBufferPointer<Double>,
        into out: UnsafeMutableBufferPointer<Double>
    ) -> Double {
        let n = x.count
        var sum = 0.0
        for value in x { sum += value }
        let mean = sum / Double(n)
        var squares = 0.0
        for value in x { squares += (value - mean) * (value - mean) }
        out[WindowFeature.mean.offset] = mean
        out[WindowFeature.std.offset] = (squares / Double(n)).squareRoot()
        percentiles(x, scratch: selection, into: out)
        let silence = silenceRuns(x)
        out[WindowFeature.silenceMean.offset] = silence.mean
        out[WindowFeature.silenceVar.offset] = silence.variance
        return mean
    }

    /// Median, p75, p90 and p95 by numpy's linear interpolation, through selection rather than a full sort.
    ///
    /// Counts (and their `log1p`) are never negative, so the zeros are counted and only the non-zero values are
    /// selected among: order statistic `r` is 0 below the zero count.
    static func percentiles(
        _ x: UnsafeBufferPointer<Double>, scratch: UnsafeMutableBufferPointer<Double>,
        into out: UnsafeMutableBufferPointer<Double>
    ) {
        let n = x.count
        var nonZero = 0
        for value in x where value != 0 {
            scratch[nonZero] = value
            nonZero += 1
        }
        let zeros = n - nonZero
        var selectedUpTo = 0
        func orderStatistic(_ rank: Int) -> Double {
            guard rank >= zeros else { return 0 }
            let k = rank - zeros
            if k >= selectedUpTo {
                select(scratch, k, lower: selectedUpTo, upper: nonZero)
                selectedUpTo = k + 1
            }
            return scratch[k]
        }
        func percentile(_ q: Double, _ feature: WindowFeature) {
            let position = Double(n - 1) * q
            let lower = Int(position.rounded(.down))
            let upper = min(lower + 1, n - 1)
            let low = orderStatistic(lower)
            let high = orderStatistic(upper)
            out[feature.offset] = low + (position - Double(lower)) * (high - low)
        }
        // Ascending quantiles, so each selection only searches above the previous one.
        percentile(0.5, .median)
        percentile(0.75, .p75)
        percentile(0.90, .p90)
        percentile(0.95, .p95)
    }

    /// Puts the `k`-th smallest of `values[lower..<upper]` at `k`, with nothing smaller after it and nothing larger
    /// before it (Hoare partition around a median of three; insertion sort below 16 values).
    static func select(_ values: UnsafeMutableBufferPointer<Double>, _ k: Int, lower: Int, upper: Int) {
        var low = lower, high = upper - 1
        while high > low {
            if high - low < 16 {
                for i in (low + 1)...high {
                    let value = values[i]
                    var j = i - 1
                    while j >= low, values[j] > value {
                        values[j + 1] = values[j]
                        j -= 1
                    }
                    values[j + 1] = value
                }
                return
            }
            let middle = low + (high - low) / 2
            if values[middle] < values[low] { values.swapAt(middle, low) }
            if values[high] < values[low] { values.swapAt(high, low) }
            if values[high] < values[middle] { values.swapAt(high, middle) }
            let pivot = values[middle]
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                high = j
            } else if k >= i {
                low = i
            } else {
                return
            }
        }
    }

    /// Mean and population variance of the zero runs that touch neither edge.
    static func silenceRuns(_ x: UnsafeBufferPointer<Double>) -> (mean: Double, variance: Double) {
        var count = 0.0, sum = 0.0, squares = 0.0
        var runStart = -1
        for index in 0..<x.count {
            if x[index] == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                if runStart > 0 {
                    let length = Double(index - runStart)
                    count += 1
                    sum += length
                    squares += length * length
                }
                runStart = -1
            }
        }
        guard count > 0 else { return (0, 0) }
        let mean = sum / count
        return (mean, max(0, squares / count - mean * mean))
    }

    /// Writes every `HostFeature` (raw counts) in its order.
    static func hostFeatures(
        bytesReceived br: UnsafeBufferPointer<Double>, bytesSent bs: UnsafeBufferPointer<Double>,
        packetsReceived pr: UnsafeBufferPointer<Double>, packetsSent ps: UnsafeBufferPointer<Double>,
        into out: UnsafeMutableBufferPointer<Double>
    ) {
        let n = br.count
        var sumBR = 0.0, sumBS = 0.0, sumPR = 0.0, sumPS = 0.0, peak = 0.0
        var active = 0, both = 0
        var previous = -1, gaps = 0.0, gapSum = 0.0, gapSquares = 0.0
        for t in 0..<n {
            sumBR += br[t]
            sumBS += bs[t]
            sumPR += pr[t]
            sumPS += ps[t]
            let packets = pr[t] + ps[t]
            peak = max(peak, packets)
            guard packets > 0 else { continue }
            active += 1
            if pr[t] > 0, ps[t] > 0 { both += 1 }
            if previous >= 0 {
                let gap = Double(t - previous)
                gaps += 1
                gapSum += gap
                gapSquares += gap * gap
            }
            previous = t
        }
        let packets = sumPR + sumPS
        let mean = packets / Double(n)
        var lagged = 0.0, squares = 0.0
        for t in 0..<n {
            let centred = pr[t] + ps[t] - mean
            squares += centred * centred
            if t + 1 < n { lagged += centred * (pr[t + 1] + ps[t + 1] - mean) }
        }
        func ratio(_ numerator: Double, _ denominator: Double) -> Double {
            denominator > 0 ? numerator / denominator : 0
        }
        var gapCV = 0.0
        if gaps >= 2 {
            let gapMean = gapSum / gaps
            gapCV = max(0, gapSquares / gaps - gapMean * gapMean).squareRoot() / gapMean
        }
        out[HostFeature.activeShare.offset] = Double(active) / Double(n)
        out[HostFeature.bothActiveShare.offset] = Double(both) / Double(n)
        out[HostFeature.activeGapCV.offset] = gapCV
        out[HostFeature.packetBurstiness.offset] = ratio(peak, mean)
        out[HostFeature.packetAutocorrelation1.offset] = ratio(lagged, squares)
        out[HostFeature.bytesPerPacketReceived.offset] = ratio(sumBR, sumPR)
        out[HostFeature.bytesPerPacketSent.offset] = ratio(sumBS, sumPS)
        out[HostFeature.sentByteShare.offset] = ratio(sumBS, sumBR + sumBS)
        out[HostFeature.sentPacketShare.offset] = ratio(sumPS, packets)
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

extension WindowFeature {
    /// Position in a series' block of features.
    var offset: Int {
        switch self {
        case .mean: 0
        case .median: 1
        case .std: 2
        case .p75: 3
        case .p90: 4
        case .p95: 5
        case .silenceMean: 6
        case .silenceVar: 7
        case .scalogram2: 8
        case .scalogram4: 9
        case .spectralPeak: 10
        }
    }
}

extension HostFeature {
    /// Position in the host block of features.
    var offset: Int {
        switch self {
        case .activeShare: 0
        case .bothActiveShare: 1
        case .activeGapCV: 2
        case .packetBurstiness: 3
        case .packetAutocorrelation1: 4
        case .bytesPerPacketReceived: 5
        case .bytesPerPacketSent: 6
        case .sentByteShare: 7
        case .sentPacketShare: 8
        }
    }
}
