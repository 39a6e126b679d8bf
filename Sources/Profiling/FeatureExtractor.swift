/// Computes the feature vector of a host's windows from its counter ring.
///
/// Layout: for each window length (ascending), for each `CounterSeries`, every `WindowFeature` in its order. Names
/// read `w120s.bytesReceived.p95`.
public struct FeatureExtractor: Sendable {
    /// The settings the extractor was built for.
    public let settings: WindowSettings
    /// Feature names in vector order.
    public let featureNames: [String]
    private let lengths: [Int]
    private let scalograms: [MorletScalogram]

    /// - Precondition: `settings.validate()` does not throw.
    public init(settings: WindowSettings) {
        self.settings = settings
        lengths = settings.windowIntervals
        scalograms = lengths.map { MorletScalogram(length: $0, scales: WindowFeature.scales) }
        featureNames = settings.windowSeconds.flatMap { seconds in
            CounterSeries.allCases.flatMap { series in
                WindowFeature.allCases.map { "w\(Self.format(seconds))s.\(series.name).\($0.rawValue)" }
            }
        }
    }

    /// Features per window length.
    public static var featuresPerWindow: Int { CounterSeries.allCases.count * WindowFeature.allCases.count }

    /// The feature vector for the windows ending at the ring's newest interval.
    func features(of ring: CounterRing) -> [Double] {
        let longest = lengths.last ?? 0
        let transformSize = scalograms.map(\.transformSize).max() ?? 0
        var output = [Double](repeating: 0, count: featureNames.count)
        var scratch = [Double](repeating: 0, count: longest * 2 + transformSize * 2)
        output.withUnsafeMutableBufferPointer { output in
            scratch.withUnsafeMutableBufferPointer { scratch in
                let series = UnsafeMutableBufferPointer(rebasing: scratch[0..<longest])
                let sorted = UnsafeMutableBufferPointer(rebasing: scratch[longest..<(2 * longest)])
                let real = UnsafeMutableBufferPointer(
                    rebasing: scratch[(2 * longest)..<(2 * longest + transformSize)])
                let imag = UnsafeMutableBufferPointer(
                    rebasing: scratch[(2 * longest + transformSize)..<(2 * longest + 2 * transformSize)])
                var offset = 0
                for (windowIndex, length) in lengths.enumerated() {
                    for counter in CounterSeries.allCases {
                        ring.copySeries(
                            counter.rawValue, newest: length, into: series, transform: settings.counterScale)
                        let window = UnsafeBufferPointer(rebasing: series[0..<length])
                        let slot = UnsafeMutableBufferPointer(
                            rebasing: output[offset..<(offset + WindowFeature.allCases.count)])
                        Self.seriesFeatures(
                            window, sorted: UnsafeMutableBufferPointer(rebasing: sorted[0..<length]),
                            scalogram: scalograms[windowIndex], real: real, imag: imag, into: slot)
                        offset += WindowFeature.allCases.count
                    }
                }
            }
        }
        return output
    }

    private static func seriesFeatures(
        _ x: UnsafeBufferPointer<Double>, sorted target: UnsafeMutableBufferPointer<Double>, scalogram: MorletScalogram,
        real: UnsafeMutableBufferPointer<Double>, imag: UnsafeMutableBufferPointer<Double>,
        into out: UnsafeMutableBufferPointer<Double>
    ) {
        let n = x.count
        var sum = 0.0
        for value in x { sum += value }
        let mean = sum / Double(n)
        var squares = 0.0
        for value in x { squares += (value - mean) * (value - mean) }
        var sorted = target
        _ = sorted.initialize(from: x)
        sorted.sort()
        out[0] = mean
        out[1] = percentile(sorted, 0.5)
        out[2] = (squares / Double(n)).squareRoot()
        out[3] = percentile(sorted, 0.75)
        out[4] = percentile(sorted, 0.90)
        out[5] = percentile(sorted, 0.95)
        let silence = silenceRuns(x)
        out[6] = silence.mean
        out[7] = silence.variance
        scalogram.relativeEnergies(
            of: x, mean: mean, real: real, imag: imag, output: UnsafeMutableBufferPointer(rebasing: out[8..<10]))
    }

    /// numpy's default (`linear`) percentile of sorted values.
    static func percentile(_ sorted: UnsafeMutableBufferPointer<Double>, _ q: Double) -> Double {
        let position = Double(sorted.count - 1) * q
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
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

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
