import ArgumentParser
import Capture
import Foundation

/// `coinsentry capture`: count a live interface for a while, as the sensor would, and print the counts.
struct CaptureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Capture on a live interface for a while and print per-host counts and drop counters.",
        discussion: """
            A diagnostic of the capture path alone (no model): check that a mirror port delivers what you expect, \
            and that nothing is dropped at your traffic rate. Needs CAP_NET_RAW.

            Example: coinsentry capture eth1 --local-net 10.0.0.0/8 --duration 30 --json
            """
    )

    @Argument(help: "The interface to capture on.")
    var interface: String

    @Option(name: .customLong("local-net"), help: "A local network in CIDR notation; repeat for several.")
    var localNetworks: [String] = []

    @Option(help: "Seconds to capture.")
    var duration: Double = 10

    @Option(help: "Interval width in seconds.")
    var interval: Double = 1

    @Option(help: "A BPF filter applied in the kernel.")
    var filter: String?

    @Option(help: "Pin the capture thread to this CPU.")
    var cpu: Int?

    @Option(name: .customLong("buffer-mib"), help: "Kernel capture buffer in MiB.")
    var bufferMiB: Int = 8

    @Flag(inversion: .prefixedNo, help: "libpcap immediate mode (per-packet delivery, TPACKET_V2 on Linux).")
    var immediate = true

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard !localNetworks.isEmpty else { throw ValidationError("name the local networks with --local-net CIDR") }
        guard duration > 0, interval > 0 else { throw ValidationError("--duration and --interval must be positive") }
    }

    func run() throws {
        var configuration = CaptureConfiguration(
            source: .interface(interface), localNetworks: try localNetworks.map { try IPNetwork($0) })
        configuration.interval = interval
        configuration.filter = filter
        configuration.cpu = cpu
        configuration.immediateMode = immediate
        configuration.bufferSize = bufferMiB << 20
        let session = try CaptureSession(configuration)
        try session.start()
        var recorder = HostSeriesRecorder(keepingSeries: false)
        let deadline = Date().addingTimeInterval(duration)
        while Date() < deadline, let batch = session.nextBatch(timeout: min(0.5, deadline.timeIntervalSinceNow)) {
            recorder.record(batch)
        }
        session.stop()
        while let batch = session.nextBatch(timeout: 1) { recorder.record(batch) }
        let result = Replay.Result(recorder: recorder, statistics: session.statistics, endError: session.endError)
        print(json ? try Replay.json(result) : Replay.table(result))
    }
}
