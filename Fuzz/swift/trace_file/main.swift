// Trace files (one interval a line: bytes received, bytes sent, packets received, packets sent) read through the file
// reader, then what the tools do with a trace: render it back, merge, resample, and check and render it as packets.
import FuzzSupport
import Glibc
import Traces

func testOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let path = String(cString: fuzz_support_write_file("trace.txt", data, size))
    guard let trace = try? TraceFile.read(path, interval: 1) else { return 0 }
    precondition((try? TraceFile.parse(TraceFile.render(trace.rows))) == trace.rows, "rendered trace reads back")
    _ = try? Trace.merge([trace, trace])
    _ = try? trace.resampled(to: 5)
    guard let renderer = try? TraceRenderer(local: [10, 0, 0, 1], remote: [10, 0, 0, 2], remotePort: 3333,
                                            intervalMicroseconds: 1_000_000, startMicroseconds: 0) else { return 0 }
    guard (try? renderer.validate(trace.rows)) != nil else { return 0 }
    // Rendering emits every packet; only small traces are rendered, to keep each run short.
    let packets = trace.rows.reduce(UInt64(0)) { $0 &+ $1.packetsSent &+ $1.packetsReceived }
    if packets <= 10_000 {
        var frames = 0
        try? renderer.render(trace.rows) { _ in frames += 1 }
        precondition(UInt64(frames) == packets, "one frame per packet")
    }
    return 0
}

exit(fuzz_support_run(CommandLine.argc, CommandLine.unsafeArgv, testOne))
