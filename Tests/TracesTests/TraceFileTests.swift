import Foundation
import Testing
@testable import Traces
import TestSupport

@Suite struct TraceFileTests {
    @Test func readsFourColumnRows() throws {
        let rows = try TraceFile.parse("1245 659 7 8\n0 0 0 0\n\n  3\t4 5 6  \r\n")
        #expect(rows == [
            IntervalCounters(bytesReceived: 1245, bytesSent: 659, packetsReceived: 7, packetsSent: 8),
            .zero,
            IntervalCounters(bytesReceived: 3, bytesSent: 4, packetsReceived: 5, packetsSent: 6),
        ])
    }

    @Test(arguments: [
        ("1 2 3\n", 1, "3 columns instead of four"),
        ("1 2 3 4\n1 2 3 4 5\n", 2, "more than four columns"),
        ("1 2 3 4\n0 0 -1 0\n", 2, "'-1' is not a non-negative integer"),
        ("NaN 1 2 3\n", 1, "'NaN' is not a non-negative integer"),
        ("1.5 1 2 3\n", 1, "'1.5' is not a non-negative integer"),
        ("99999999999999999999 0 0 0\n", 1, "a number does not fit in 64 bits"),
    ])
    func refusesBadLinesNamingFileAndLine(text: String, line: Int, reason: String) {
        #expect(throws: TraceError.badLine(file: "t.dat", line: line, reason: reason)) {
            try TraceFile.parse(text, file: "t.dat")
        }
    }

    @Test func errorMessageNamesFileAndLine() {
        let message = TraceError.badLine(file: "a.dat", line: 7, reason: "x").description
        #expect(message.hasPrefix("a.dat:7: x"))
    }

    @Test func writtenTraceReadsBackIdentically() throws {
        let rows = (0..<100).map { IntervalCounters(bytesReceived: UInt64($0 * 1000), bytesSent: UInt64($0),
                                                     packetsReceived: UInt64($0 % 7), packetsSent: 1) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trace-\(UUID()).dat").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try TraceFile.write(Trace(rows: rows, interval: 1), to: path)
        #expect(try TraceFile.read(path, interval: 1).rows == rows)
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: TraceError.self) { try TraceFile.read("/nonexistent/trace.dat", interval: 1) }
    }

    @Test func mergeSumsElementWiseCutToShortest() throws {
        let a = Trace(rows: [IntervalCounters(bytesReceived: 1, bytesSent: 2, packetsReceived: 3, packetsSent: 4),
                             IntervalCounters(bytesReceived: 5)], interval: 0.5)
        let b = Trace(rows: [IntervalCounters(bytesReceived: 10, bytesSent: 20, packetsReceived: 30, packetsSent: 40)],
                      interval: 0.5)
        let merged = try Trace.merge([a, b])
        #expect(merged.rows == [IntervalCounters(bytesReceived: 11, bytesSent: 22, packetsReceived: 33,
                                                 packetsSent: 44)])
        #expect(throws: TraceError.intervalMismatch(0.5, 1)) {
            try Trace.merge([a, Trace(rows: [], interval: 1)])
        }
    }

    @Test func resamplingSumsPairsAndDropsPartialTail() throws {
        let rows = (1...5).map { IntervalCounters(bytesReceived: UInt64($0), packetsReceived: 1) }
        let wider = try Trace(rows: rows, interval: 0.5).resampled(to: 1)
        #expect(wider.interval == 1)
        #expect(wider.rows.map(\.bytesReceived) == [3, 7])
        #expect(wider.rows.map(\.packetsReceived) == [2, 2])
        #expect(throws: TraceError.cannotResample(from: 0.5, to: 0.75)) {
            try Trace(rows: rows, interval: 0.5).resampled(to: 0.75)
        }
    }

    @Test(.enabled(if: SharedData.isPresent, Comment(rawValue: SharedData.absentReason)))
    func readsEveryRepairedNyptoTrace() throws {
        let root = SharedData.path("nypto")
        for folder in ["datasets", "vpn-datasets", "merged-datasets"] {
            let directory = "\(root)/\(folder)"
            for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".dat") {
                let trace = try TraceFile.read("\(directory)/\(name)", interval: 0.5)
                #expect(trace.rows.count > 1000, "\(name) has \(trace.rows.count) rows")
            }
        }
    }
}
