import Testing
@testable import Profiling
import Traces

@Suite struct WindowEngineTests {
    let settings = WindowSettings(intervalSeconds: 1, windowSeconds: [8, 16], slideSeconds: 4)

    @Test func emitsOnSlideBoundariesOnceLongestWindowIsCovered() throws {
        let rows = [IntervalCounters](repeating: IntervalCounters(bytesReceived: 10, packetsReceived: 1), count: 40)
        let emitted = try windows(of: rows, settings: settings)
        #expect(emitted.map(\.endInterval) == [15, 19, 23, 27, 31, 35, 39])
        #expect(emitted.allSatisfy { $0.host == 7 && $0.features.count == 2 * FeatureExtractor.featuresPerWindow })
    }

    @Test func windowWithNoTrafficYieldsNoFeatures() throws {
        var rows = [IntervalCounters](repeating: .zero, count: 40)
        rows[2] = IntervalCounters(bytesSent: 100, packetsSent: 1)
        // The shortest window (8 intervals) holds the packet only while it ends at 2...9; the first emission is at 15.
        #expect(try windows(of: rows, settings: settings).isEmpty)
        rows[12] = IntervalCounters(bytesSent: 100, packetsSent: 1)
        #expect(try windows(of: rows, settings: settings).map(\.endInterval) == [15, 19])
    }

    @Test func absentHostsCountAsSilence() throws {
        var engine = try WindowEngine<String>(settings: settings)
        var last = [HostWindow<String>]()
        for index in Int64(0)..<16 {
            if index % 4 == 0 {
                engine.record(host: "a", intervalIndex: index, counters: IntervalCounters(packetsSent: 8))
            }
            last = engine.intervalClosed(index)
        }
        let names = engine.extractor.featureNames
        let mean = try #require(names.firstIndex(of: "w16s.packetsSent.mean"))
        let silence = try #require(names.firstIndex(of: "w16s.packetsSent.silenceMean"))
        #expect(last.count == 1)
        #expect(last[0].features[mean] == 2)  // 4 × 8 packets over 16 intervals
        #expect(last[0].features[silence] == 3)  // runs of 3 between records; the trailing run is cut by the edge
    }

    @Test func recordsOfOneIntervalAreSummed() throws {
        var engine = try WindowEngine<Int>(settings: WindowSettings(windowSeconds: [4], slideSeconds: 4))
        var output = [HostWindow<Int>]()
        for index in Int64(0)..<4 {
            engine.record(host: 1, intervalIndex: index, counters: IntervalCounters(bytesReceived: 5))
            engine.record(host: 1, intervalIndex: index, counters: IntervalCounters(bytesReceived: 7))
            output += engine.intervalClosed(index)
        }
        #expect(output.count == 1)
        #expect(output[0].features[0] == 12)
    }

    @Test func discontinuityDropsHistory() throws {
        var engine = try WindowEngine<Int>(settings: settings)
        let busy = IntervalCounters(bytesReceived: 1, packetsReceived: 1)
        for index in Int64(0)..<14 {
            engine.record(host: 1, intervalIndex: index, counters: busy)
            _ = engine.intervalClosed(index)
        }
        engine.discontinuity()
        #expect(engine.trackedHosts == 0)
        var emitted = [Int64]()
        for index in Int64(1000)..<1020 {
            engine.record(host: 1, intervalIndex: index, counters: busy)
            emitted += engine.intervalClosed(index).map(\.endInterval)
        }
        // A full 16-interval history is needed again after the jump: 1000...1015 is the first covered window.
        #expect(emitted == [1015, 1019])
    }

    @Test func silentHostIsForgottenAfterLongestWindow() throws {
        var engine = try WindowEngine<Int>(settings: settings)
        engine.record(host: 1, intervalIndex: 0, counters: IntervalCounters(packetsSent: 1))
        for index in Int64(0)..<16 { _ = engine.intervalClosed(index) }
        #expect(engine.trackedHosts == 1)  // the window ending at 15 still holds interval 0
        _ = engine.intervalClosed(16)
        #expect(engine.trackedHosts == 0)
    }

    @Test func hostsBeyondCapacityAndLateRecordsAreDroppedAndCounted() throws {
        var engine = try WindowEngine<Int>(settings: settings, maximumHosts: 2)
        for host in 0..<3 { engine.record(host: host, intervalIndex: 0, counters: IntervalCounters(packetsSent: 1)) }
        _ = engine.intervalClosed(0)
        engine.record(host: 0, intervalIndex: 0, counters: IntervalCounters(packetsSent: 1))
        #expect(engine.trackedHosts == 2)
        #expect(engine.droppedForCapacity == 1)
        #expect(engine.droppedLate == 1)
    }

    @Test func skippedIntervalsCountAsSilence() throws {
        var engine = try WindowEngine<Int>(settings: WindowSettings(windowSeconds: [4], slideSeconds: 4))
        engine.record(host: 1, intervalIndex: 0, counters: IntervalCounters(packetsSent: 4))
        _ = engine.intervalClosed(0)
        engine.record(host: 1, intervalIndex: 3, counters: IntervalCounters(packetsSent: 4))
        let output = engine.intervalClosed(3)
        #expect(output.count == 1)
        let mean = try #require(engine.extractor.featureNames.firstIndex(of: "w4s.packetsSent.mean"))
        #expect(output.first?.features[mean] == 2)  // packetsSent.mean over [4, 0, 0, 4]
    }

    @Test(arguments: [
        WindowSettings(intervalSeconds: 0, windowSeconds: [120]),
        WindowSettings(windowSeconds: []),
        WindowSettings(windowSeconds: [360, 120]),
        WindowSettings(intervalSeconds: 1, windowSeconds: [120.5]),
        WindowSettings(intervalSeconds: 1, windowSeconds: [120], slideSeconds: 0.5),
        WindowSettings(intervalSeconds: 1, windowSeconds: [2]),
        WindowSettings(intervalSeconds: 1, windowSeconds: [120, 65_537]),
        // Interval counts beyond Int.max: refused, not trapped on when converted.
        WindowSettings(intervalSeconds: 1, windowSeconds: [1e30]),
        WindowSettings(intervalSeconds: 1, windowSeconds: [120], slideSeconds: 1e30),
        WindowSettings(intervalSeconds: 1e-300, windowSeconds: [120]),
    ])
    func refusesSettingsItCannotHonour(settings: WindowSettings) {
        #expect(throws: WindowSettingsError.self) { try WindowEngine<Int>(settings: settings) }
    }

    @Test func historyPerHostFitsEightKiBForSixMinutesOfOneSecondIntervals() throws {
        let engine = try WindowEngine<Int>(settings: WindowSettings(windowSeconds: [120, 360]))
        #expect(engine.historyBytesPerHost >= 360 * 16)
        #expect(engine.historyBytesPerHost <= 8 * 1024)
    }

    @Test func countsSaturateInsteadOfTrapping() throws {
        let huge = IntervalCounters(bytesReceived: .max, bytesSent: 1 << 40, packetsReceived: 1, packetsSent: 1)
        let emitted = try windows(of: [IntervalCounters](repeating: huge, count: 4),
                                  settings: WindowSettings(windowSeconds: [4], slideSeconds: 4))
        #expect(emitted.first?.features[0] == Double(UInt32.max))
    }
}
