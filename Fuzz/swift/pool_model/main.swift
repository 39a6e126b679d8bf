// The pool-connection model file (etc/coinsentry/pool-model.json) loaded as the sensor loads it, then scoring a flow.
import Capture
import FuzzSupport
import Glibc
import PoolDetection

/// A stratum-like flow of `age` seconds to score.
func flow(age: Double) -> FlowShape {
    let series = FlowShape.Series(mean: 120, deviation: 30)
    return FlowShape(
        host: HostAddress("10.0.0.1")!, remote: HostAddress("10.0.0.2")!, remotePort: 3333, localPort: 40_000,
        localIsClient: true, clientSpeaksTLS: false, serverSpeaksTLS: false, ended: false, requests: 12, replies: 12,
        pushes: 30, badRecords: 0, age: age, maxIdle: 40, pushSize: series, pushGap: series, requestSize: series,
        requestGap: series, replySize: series, replyDelay: series, clientBytes: 4_000, serverBytes: 9_000,
        clientMessages: 12, serverMessages: 42, interval: 0)
}

func testOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let path = String(cString: fuzz_support_write_file("pool-model.json", data, size))
    guard let model = try? PoolShapeModel.load(path) else { return 0 }
    // A young flow (the early stage, when the model has one) and an old one (the model's own stage).
    _ = model.score(flow(age: 300))
    _ = model.score(flow(age: 600))
    return 0
}

exit(fuzz_support_run(CommandLine.argc, CommandLine.unsafeArgv, testOne))
