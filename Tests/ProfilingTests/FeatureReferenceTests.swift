import Foundation
import Testing
@testable import Profiling
import TestSupport
import Traces

/// Every feature (per series and per host) against `reference/features.py` (numpy) on the same windows.
@Suite(.enabled(if: PythonReference.isAvailable, Comment(rawValue: PythonReference.unavailableReason)))
struct FeatureReferenceTests {
    /// Relative tolerance: the two sides sum in different orders, and the scalogram goes through FFTs.
    static let tolerance = 1e-9

    func compare(rows: [IntervalCounters], settings: WindowSettings) throws {
        let emitted = try windows(of: rows, settings: settings)
        try #require(!emitted.isEmpty)
        var series = [[[UInt64]]]()
        for window in emitted {
            for length in settings.windowIntervals {
                let slice = rows[(Int(window.endInterval) - length + 1)...Int(window.endInterval)]
                series.append([
                    slice.map(\.bytesReceived), slice.map(\.bytesSent), slice.map(\.packetsReceived),
                    slice.map(\.packetsSent),
                ])
            }
        }
        let reply = try PythonReference.runScript(
            "Tests/ProfilingTests/reference/features.py",
            request: ["windows": series, "log1p": settings.counterScale == .log1p])
        let expected = try #require(reply["features"] as? [[Double]]).flatMap { $0 }
        let actual = emitted.flatMap(\.features)
        try #require(expected.count == actual.count)
        let names = FeatureExtractor(settings: settings).featureNames
        var mismatches = 0
        for (index, (ours, theirs)) in zip(actual, expected).enumerated() {
            let scale = max(1, abs(theirs))
            if abs(ours - theirs) > Self.tolerance * scale {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record("\(names[index % names.count]): \(ours) vs numpy \(theirs)")
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test(arguments: CounterScale.allCases)
    func featuresMatchNumpyOnSparseSyntheticWindows(scale: CounterScale) throws {
        try compare(rows: sparseRows(count: 600, seed: 3),
                    settings: WindowSettings(windowSeconds: [120, 360], slideSeconds: 20, counterScale: scale))
    }

    @Test func featuresMatchNumpyOnOddWindowLengths() throws {
        try compare(rows: sparseRows(count: 300, seed: 11),
                    settings: WindowSettings(windowSeconds: [37, 101], slideSeconds: 13))
    }

    @Test(.enabled(if: SharedData.isPresent, Comment(rawValue: SharedData.absentReason)),
          arguments: ["datasets/mining_2t_nicehash.dat", "datasets/browsing.dat", "vpn-datasets/vpn-netflix.dat"])
    func featuresMatchNumpyOnRealTraces(file: String) throws {
        let trace = try TraceFile.read(SharedData.path("nypto/\(file)"), interval: 0.5).resampled(to: 1)
        try compare(rows: Array(trace.rows.prefix(1800)), settings: WindowSettings(windowSeconds: [120, 360]))
    }
}
