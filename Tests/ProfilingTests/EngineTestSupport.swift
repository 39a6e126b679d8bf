@testable import Profiling
import Traces

/// Feeds one host's rows through an engine, as the tests and the trace tools do.
func windows(of rows: [IntervalCounters], settings: WindowSettings) throws -> [HostWindow<Int>] {
    var engine = try WindowEngine<Int>(settings: settings)
    var output = [HostWindow<Int>]()
    for (index, row) in rows.enumerated() {
        if !row.isZero { engine.record(host: 7, intervalIndex: Int64(index), counters: row) }
        output += engine.intervalClosed(Int64(index))
    }
    return output
}

/// Deterministic rows with bursts and silences, like a sparse host.
func sparseRows(count: Int, seed: UInt64) -> [IntervalCounters] {
    var state = seed
    func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
    return (0..<count).map { _ in
        guard next() % 3 == 0 else { return .zero }
        let packets = next() % 20 + 1
        return IntervalCounters(
            bytesReceived: packets * (next() % 1400 + 40), bytesSent: next() % 3000,
            packetsReceived: packets, packetsSent: next() % 10)
    }
}
