import Appliance
import Control
import Foundation
import Testing
import TestSupport

/// The capture interface deleted and created again while `coinsentryd` runs: the daemon keeps running, says capture
/// is down (since when and why), reopens it when the interface is back, counts the restart and captures again.
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

    @Test func captureComesBackWhenTheInterfaceDoes() async throws {
        let tag = "rc"
        var pair: VethPair? = try Self.wire(tag)
        let interface = pair!.outside
        try await InProcessSensor.run(interface: interface, localNetworks: "10.77.0.0/24") { _, socket in
            #expect(try await Self.eventually {
                try Self.send(pair!)
                return Self.packets(await Self.statistics(socket)) > 0
            }, "capture counts the wire's packets")

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

    /// An interface taken down and deleted later: the first tells libpcap only that the network is down, and the
    /// deletion that follows wakes nothing on the socket, so the capture must keep asking libpcap until it knows.
    @Test func anInterfaceTakenDownAndThenDeletedIsNoticed() async throws {
        var pair: VethPair? = try Self.wire("rd")
        let interface = pair!.outside
        try await InProcessSensor.run(interface: interface, localNetworks: "10.77.0.0/24") { _, socket in
            #expect(try await Self.eventually {
                try Self.send(pair!)
                return Self.packets(await Self.statistics(socket)) > 0
            }, "capture counts the wire's packets")

            try Shell.run(["ip", "link", "set", interface, "down"])
            // Time for the capture thread to take the down indication before the interface goes; a slower machine
            // can only make this test pass without exercising the case, never fail it.
            try await Task.sleep(for: .seconds(1))
            let stillUp = await Self.statistics(socket)
            #expect(stillUp?.captureDownSince == nil, "an interface taken down is not yet a capture that ended")

            pair = nil  // the interface is deleted
            var down: SensorStatistics.InterfaceStatistics?
            #expect(try await Self.eventually {
                down = await Self.statistics(socket)
                return down?.captureDownSince != nil
            }, "the daemon notices the deletion: \(String(describing: down))")
            #expect(down?.captureDownReason?.isEmpty == false)
        }
    }
}
