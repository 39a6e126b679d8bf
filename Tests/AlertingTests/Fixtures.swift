import Alerting
import Foundation

/// Records and folders the alerting tests share.
enum Fixtures {
    /// A mining record with evidence and values that need escaping in syslog SD and JSON.
    static func mining(host: String = "10.0.0.5", sensor: String = "sensor-a", seconds: Double = 1_790_000_000.25,
                       event: AlertRecord.Event = .mining) -> AlertRecord {
        AlertRecord(
            time: Date(timeIntervalSince1970: seconds), sensor: sensor, event: event, host: host,
            verdict: event == .cleared ? "clear" : "mining", score: 0.9375, windows: 48,
            model: "svc-120s \"v3\" [rbf\\lin]",
            evidence: [
                .init(kind: "stratum", remote: "198.51.100.7:3333", dialect: "stratum", worker: "w1"),
                .init(kind: "remote", remote: "203.0.113.9:443", bytes: 123_456),
            ],
            action: "none", requestedBy: event == .blocked ? "uid=0 pid=42" : nil)
    }

    /// A new empty folder under the system's temporary folder.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("coinsentry-alerting-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Waits, polling, until `condition` holds or `timeout` passes; returns whether it held.
    static func eventually(timeout: Duration = .seconds(5), _ condition: () throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }
}
