import Control
import Foundation
import Testing
import TestSupport

/// Reloads (configuration, model and pool lists) while traffic flows: each is applied, and capture loses no packet
/// to them. The traffic is `Benchmarks/soak/blast.c`, compiled here, written into a veth pair from its namespace at a
/// rate a debug build holds; `Benchmarks/soak/reload.sh` does the same at 100,000 packets/s on a release build.
@Suite(.enabled(if: VethPair.unavailableReason == nil && Shell.which("cc") != nil,
                Comment(rawValue: VethPair.unavailableReason ?? "cc is not installed (it compiles the traffic writer)")))
struct ReloadUnderTrafficTests {
    static let blastSource = EndToEndTests.root.appendingPathComponent("Benchmarks/soak/blast.c").path

    @Test func reloadsWhileTrafficFlowsAreAppliedAndLoseNoPacket() async throws {
        let pair = try VethPair(tag: "rl")
        try await InProcessSensor.run(interface: pair.outside) { directory, socket in
            let blast = directory.appendingPathComponent("blast").path
            try Shell.run(["cc", "-O2", "-o", blast, Self.blastSource])
            #expect(try await CaptureRecoveryTests.eventually {
                await CaptureRecoveryTests.statistics(socket) != nil
            }, "the daemon answers")

            // 10 s at 10,000 frames/s from 500 hosts, 5 replaced a second; five reloads while they flow.
            let sender = try Shell.start(["ip", "netns", "exec", pair.namespace, blast, pair.peer, "10000", "10",
                                          "steady", "500", "5"])
            var reloads = [ReloadSummary]()
            for _ in 0..<5 {
                try await Task.sleep(for: .milliseconds(1500))
                reloads.append(try await ControlClient.send(SensorRequest.Reload(), socket: socket,
                                                             timeout: .seconds(10)))
            }
            let output = try await WebConsoleTests.offThePool {
                let text = String(decoding: sender.standardOutputData(), as: UTF8.self)
                return (sender.waitForStatus(), text)
            }
            #expect(output.0 == 0, "the traffic writer: \(output.1)")
            let summary = output.1.split(separator: "\n").first { $0.hasPrefix("sent ") } ?? ""
            let sent = Double(summary.split(separator: " ").dropFirst().first ?? "") ?? 0
            #expect(sent > 90_000, "the writer sent its frames: \(output.1)")
            #expect(reloads.count == 5 && reloads.allSatisfy { $0.pendingRestart.isEmpty }, "\(reloads.map(\.summary))")

            var after: SensorStatistics.InterfaceStatistics?
            #expect(try await CaptureRecoveryTests.eventually {
                after = await CaptureRecoveryTests.statistics(socket)
                return CaptureRecoveryTests.packets(after) >= sent
            }, "every frame counted: \(CaptureRecoveryTests.packets(after)) of \(sent)")
            for counter in ["kernel_dropped", "interface_dropped", "ring_dropped"] {
                #expect(after?.counters[counter]?.number == 0, "\(counter) while reloading")
            }
        }
    }
}
