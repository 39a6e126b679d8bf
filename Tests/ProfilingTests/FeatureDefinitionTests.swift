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
            var out = [Double](repeating: 0, count: 2)
            var real = [Double](repeating: 0, count: 128), imag = real
            x.withUnsafeBufferPointer { x in
                real.withUnsafeMutableBufferPointer { real in
                    imag.withUnsafeMutableBufferPointer { imag in
                        out.withUnsafeMutableBufferPointer { out in
                            scalogram.relativeEnergies(of: x, mean: 0, real: real, imag: imag, output: out)
                        }
                    }
                }
            }
            return out
        }
        let short = energies(period: 2.06)
        let long = energies(period: 4.12)
        #expect(short[0] > 3 * short[1])
        #expect(long[1] > 3 * long[0])
    }

    @Test func constantWindowHasZeroScalogramAndNoSpread() throws {
        let rows = [IntervalCounters](repeating: IntervalCounters(bytesReceived: 9, packetsReceived: 1), count: 8)
        let emitted = try windows(of: rows, settings: WindowSettings(windowSeconds: [8], slideSeconds: 8))
        let features = try #require(emitted.first?.features)
        #expect(Array(features[0..<10]) == [9, 9, 0, 9, 9, 9, 0, 0, 0, 0])
    }

    @Test func featureNamesFollowTheLayout() {
        let names = FeatureExtractor(settings: WindowSettings(windowSeconds: [120, 360])).featureNames
        #expect(names.count == 80)
        #expect(names.first == "w120s.bytesReceived.mean")
        #expect(names[10] == "w120s.bytesSent.mean")
        #expect(names.last == "w360s.packetsSent.scalogram4")
    }
}
