import Foundation
import Testing
@testable import Profiling
import Traces

@Suite struct FeatureDefinitionTests {
    @Test func silenceRunsLeaveOutRunsCutByEitherEdge() {
        let x: [Double] = [0, 0, 1, 0, 0, 0, 2, 0, 3, 0, 0]
        let runs = x.withUnsafeBufferPointer { FeatureExtractor.silenceRuns($0) }
        #expect(runs.mean == 2)  // interior runs of 3 and 1
        #expect(runs.variance == 1)
    }

    @Test func silenceIsZeroWithoutAnInteriorRun() {
        let runs = [0.0, 0, 5, 5, 0].withUnsafeBufferPointer { FeatureExtractor.silenceRuns($0) }
        #expect(runs.mean == 0 && runs.variance == 0)
    }

    @Test func scalogramFavoursTheScaleMatchingThePeriod() {
        let scalogram = MorletScalogram(length: 128, scales: [2, 4])
        // A Morlet at scale s (ω₀ = 6) peaks at period 4πs / (ω₀ + √(2 + ω₀²)) ≈ 1.03 s intervals.
        func energies(period: Double) -> [Double] {
            let x = (0..<128).map { sin(2 * Double.pi * Double($0) / period) }
            var out = [Double](repeating: 0, count: 6)
            var real = [Double](repeating: 0, count: 128), imag = real
            x.withUnsafeBufferPointer { x in
                real.withUnsafeMutableBufferPointer { real in
                    imag.withUnsafeMutableBufferPointer { imag in
                        out.withUnsafeMutableBufferPointer { out in
                            scalogram.spectra(
                                x, meanA: 0, x, meanB: 0, real: real, imag: imag,
                                outputA: UnsafeMutableBufferPointer(rebasing: out[0..<3]),
                                outputB: UnsafeMutableBufferPointer(rebasing: out[3..<6]))
                        }
                    }
                }
            }
            for index in 0..<3 {
                #expect(abs(out[index] - out[index + 3]) < 1e-9, "both halves of a paired transform agree")
            }
            return Array(out[0..<3])
        }
        let short = energies(period: 2.06)
        let long = energies(period: 4.12)
        #expect(short[0] > 3 * short[1])
        #expect(long[1] > 3 * long[0])
    }

    @Test func periodicSeriesHasAStrongSpectralPeakAndNoiseDoesNot() {
        let scalogram = MorletScalogram(length: 120, scales: [2, 4])
        let periodic = (0..<120).map { $0 % 10 == 0 ? 5.0 : 0 }
        var state: UInt64 = 7
        let noise = (0..<120).map { _ -> Double in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 59)
        }
        var out = [Double](repeating: 0, count: 6)
        var real = [Double](repeating: 0, count: 128), imag = real
        periodic.withUnsafeBufferPointer { a in
            noise.withUnsafeBufferPointer { b in
                real.withUnsafeMutableBufferPointer { real in
                    imag.withUnsafeMutableBufferPointer { imag in
                        out.withUnsafeMutableBufferPointer { out in
                            scalogram.spectra(
                                a, meanA: 0.5, b, meanB: b.reduce(0, +) / 120, real: real, imag: imag,
                                outputA: UnsafeMutableBufferPointer(rebasing: out[0..<3]),
                                outputB: UnsafeMutableBufferPointer(rebasing: out[3..<6]))
                        }
                    }
                }
            }
        }
        #expect(out[2] > 0.1, "periodic peak share \(out[2])")
        #expect(out[5] < 0.1, "noise peak share \(out[5])")
    }

    @Test func selectionPercentilesEqualSortedPercentiles() {
        var state: UInt64 = 5
        for n in [4, 7, 16, 17, 120, 360] {
            let x = (0..<n).map { _ -> Double in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return state >> 62 == 0 ? 0 : Double(state >> 58)
            }
            let sorted = x.sorted()
            func reference(_ q: Double) -> Double {
                let position = Double(n - 1) * q
                let lower = Int(position.rounded(.down))
                let upper = min(lower + 1, n - 1)
                return sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
            }
            var out = [Double](repeating: -1, count: WindowFeature.allCases.count)
            var scratch = [Double](repeating: 0, count: n)
            x.withUnsafeBufferPointer { x in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    out.withUnsafeMutableBufferPointer { FeatureExtractor.percentiles(x, scratch: scratch, into: $0) }
                }
            }
            #expect(out[1] == reference(0.5) && out[3] == reference(0.75), "n = \(n)")
            #expect(out[4] == reference(0.9) && out[5] == reference(0.95), "n = \(n)")
        }
    }

    @Test func constantWindowHasZeroScalogramAndNoSpread() throws {
        let rows = [IntervalCounters](repeating: IntervalCounters(bytesReceived: 9, packetsReceived: 1), count: 8)
        let emitted = try windows(of: rows, settings: WindowSettings(windowSeconds: [8], slideSeconds: 8))
        let features = try #require(emitted.first?.features)
        #expect(Array(features[0..<11]) == [9, 9, 0, 9, 9, 9, 0, 0, 0, 0, 0])
    }

    @Test func featureNamesFollowTheLayout() {
        let names = FeatureExtractor(settings: WindowSettings(windowSeconds: [120, 360])).featureNames
        #expect(names.count == 2 * (4 * 11 + 9))
        #expect(names.first == "w120s.bytesReceived.mean")
        #expect(names[11] == "w120s.bytesSent.mean")
        #expect(names[44] == "w120s.host.activeShare")
        #expect(names.last == "w360s.host.sentPacketShare")
    }
}
