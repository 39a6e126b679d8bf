import Appliance
import Control
import Foundation
import Testing
import TestSupport

/// The capture interface deleted and created again, or its link taken down and up, while `coinsentryd` runs: the
/// daemon keeps running, says capture is down (since when and why), and captures again when the interface or its link
/// is back, counting a restart only when it reopened the capture.
@Suite(.enabled(if: VethPair.unavailableReason == nil, Comment(rawValue: VethPair.unavailableReason ?? "")))
struct CaptureRecoveryTests {
    static func statistics(_ socket: String) async -> SensorStatistics.InterfaceStatistics? {
        (try? await ControlClient.send(SensorRequest.Stats(), socket: socket, timeout: .seconds(2)))?.interfaces.first
    }

    static func packets(_ entry: SensorStatistics.InterfaceStatistics?) -> Double {
        entry?.counters["packets"]?.number ?? 0
    }

    /// Sends a few UDP datagrams from inside the namespace to the sensor's side of the wire.
    static func send(_ pair: VethPair) throws {
        try pair.run(["bash", "-c", "for i in 1 2 3 4 5; do echo coinsentry > /dev/udp/10.77.0.1/9999; done"])
    }

    static func wire(_ tag: String) throws -> VethPair {
        let pair = try VethPair(tag: tag)
        try Shell.run(["ip", "addr", "add", "10.77.0.1/24", "dev", pair.outside])
        try pair.run(["ip", "addr", "add", "10.77.0.2/24", "dev", pair.peer])
        return pair
    }

    /// Polls `check` for up to 30 s (against a hang, not a measured figure).
    static func eventually(_ check: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<150 {
            if try await check() { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    /// Sends until capture has counted packets of the wire (a reopened capture counts from zero).
    static func capturesTheWire(_ pair: VethPair, _ socket: String) async throws -> Bool {
        try await eventually {
            try send(pair)
            return packets(await statistics(socket)) > 0
        }
    }

    /// The interface deleted and created again, at once or after its link was taken down. In the second case the down
    /// indication tells libpcap only that the network is down and the deletion wakes nothing on the socket, so the
    /// capture must keep asking libpcap until it knows; otherwise it stays open on the deleted interface and never
    /// captures the new one.
    @Test(arguments: [false, true])
    func captureComesBackWhenTheInterfaceDoes(takenDownFirst: Bool) async throws {
        let tag = takenDownFirst ? "rd" : "rc"
        var pair: VethPair? = try Self.wire(tag)
        let interface = pair!.outside
        try await InProcessSensor.run(interface: interface, localNetworks: "10.77.0.0/24") { _, socket in
            #expect(try await Self.capturesTheWire(pair!, socket), "capture counts the wire's packets")
            if takenDownFirst {
                try Shell.run(["ip", "link", "set", interface, "down"])
                #expect(try await Self.eventually { await Self.statistics(socket)?.captureDownSince != nil },
                        "the link is shown down")
            }

            pair = nil  // the interface is deleted
            var down: SensorStatistics.InterfaceStatistics?
            #expect(try await Self.eventually {
                down = await Self.statistics(socket)
                return down?.captureDownSince != nil
            }, "the daemon still answers and says capture is down")
            #expect(down?.captureDownReason?.isEmpty == false)
            #expect(down?.captureRestarts == 0)

            pair = try Self.wire(tag)  // and comes back under the same name
            var back: SensorStatistics.InterfaceStatistics?
            #expect(try await Self.eventually {
                try Self.send(pair!)
                back = await Self.statistics(socket)
                return back?.captureRestarts == 1 && Self.packets(back) > 0
            }, "capture is reopened and counts again: \(String(describing: back))")
            #expect(back?.captureDownSince == nil)
            #expect((back?.captureDownSeconds ?? 0) > 0, "the gap is counted")
        }
        _ = interface
    }

    /// A link taken down and brought up again: capture is shown down meanwhile, with the kernel's reason, and resumes
    /// on the same session when the link is back; the gap is counted, and it is not a restart.
    @Test func aLinkTakenDownAndUpIsAGapNotARestart() async throws {
        let pair = try Self.wire("lk")
        try await InProcessSensor.run(interface: pair.outside, localNetworks: "10.77.0.0/24") { _, socket in
            #expect(try await Self.capturesTheWire(pair, socket), "capture counts the wire's packets")

            try Shell.run(["ip", "link", "set", pair.outside, "down"])
            var down: SensorStatistics.InterfaceStatistics?
            #expect(try await Self.eventually {
                down = await Self.statistics(socket)
                return down?.captureDownSince != nil
            }, "capture is shown down while the link is: \(String(describing: down))")
            #expect(down?.captureDownReason?.contains("link is down") == true)
            let before = Self.packets(down)

            try Shell.run(["ip", "link", "set", pair.outside, "up"])
            var back: SensorStatistics.InterfaceStatistics?
            #expect(try await Self.eventually {
                try Self.send(pair)
                back = await Self.statistics(socket)
                return back?.captureDownSince == nil && Self.packets(back) > before
            }, "capture counts again on the same session: \(String(describing: back))")
            #expect(back?.captureRestarts == 0, "a link that came back is not a restart")
            #expect((back?.captureDownSeconds ?? 0) > 0, "the gap is counted")
        }
    }
}
