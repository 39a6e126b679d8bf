import Control
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// No alert lost and none written twice when `coinsentryd` is killed (SIGKILL) while its syslog collector is down:
/// the alerts raised meanwhile are in the store and the JSON file, and the next start sends the collector every one
/// of them, once, while the JSON file keeps each alert once.
@Suite(.serialized, .enabled(if: LoopbackSensor.unavailableReason == nil,
                             Comment(rawValue: LoopbackSensor.unavailableReason ?? "")))
struct AlertDeliveryRestartTests {
    /// The audit records' alert ids in the JSON file, in file order.
    static func jsonAlertIDs(_ path: String) throws -> [Int] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return (object?["coinsentry"] as? [String: Any])?["alert_id"] as? Int
        }
    }

    @Test func alertsRaisedWhileTheCollectorIsDownReachItAfterAKillAndARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-outbox-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // A port with nothing behind it for now: the collector is down.
        let port = try TCPReceiver().port
        let json = directory.appendingPathComponent("alerts.jsonl").path
        let socket = directory.appendingPathComponent("control.sock").path
        let config = directory.appendingPathComponent("coinsentry.toml").path
        try LoopbackSensor.configuration(
            stateDirectory: "\(directory.path)/state", socket: socket,
            alerts: "journald = false\njson_file = \"\(json)\"\nsyslog = [\"tcp:127.0.0.1:\(port)\"]")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let log = directory.appendingPathComponent("coinsentryd.log").path

        var daemon = try LoopbackSensor.start(config, log: log)
        var answered = false
        for _ in 0..<100 where !answered {
            answered = await LoopbackSensor.request(.status, socket)?["ok"]?.bool == true
            if !answered { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(answered, "\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        // Ten audit alerts (pause and resume, five times), each stored and written to the JSON file at once.
        for _ in 0..<5 {
            _ = await LoopbackSensor.request(.pause, socket)
            _ = await LoopbackSensor.request(.resume, socket)
        }
        var written: [Int] = []
        for _ in 0..<100 where written.count < 10 {
            written = (try? Self.jsonAlertIDs(json)) ?? []
            if written.count < 10 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(written.count == 10)
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()

        // The collector comes back; the daemon starts again and sends it what it never got.
        let collector = try TCPReceiver(port: port)
        daemon = try LoopbackSensor.start(config, log: log)
        defer {
            daemon.terminate()
            daemon.waitUntilExit()
        }
        let frames = await Task.detached { collector.frames(10, timeout: .seconds(20)) }.value
        let audits = frames.filter { $0.contains("pause") || $0.contains("resume") }
        #expect(audits.count == 10, "every audit alert reached the collector after the restart: \(frames.count) frames")
        #expect(frames.count == 10, "and nothing else came twice")
        let logged = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(logged.contains("alerts not delivered before the last stop are sent again"), "\(logged.suffix(2000))")
        let ids = try Self.jsonAlertIDs(json)
        #expect(ids == Array(Set(ids)).sorted(), "the JSON file holds each alert once, in order: \(ids)")
        #expect(ids.count == 10)
    }
}
