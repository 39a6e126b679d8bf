import Control
import Foundation
import Testing
import TestSupport

/// The alert store's state directory on a small tmpfs that fills up: `coinsentryd` keeps running and answering,
/// every alert is either stored (and sent) or counted as not stored (`stats`), and storing resumes by itself once
/// there is room again.
@Suite(.serialized, .enabled(if: LoopbackSensor.unavailableReason == nil,
                             Comment(rawValue: LoopbackSensor.unavailableReason ?? "")))
struct AlertStoreFullDiskTests {
    /// Alerts in the JSON file, one a line: the file only ever gets stored alerts.
    static func storedAlerts(_ path: String) -> Int {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").count
    }

    @Test func aFullStateDirectoryCountsWhatIsNotStoredAndStoringResumesWhenThereIsRoom() async throws {
        let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("cs-state-\(UUID())").path
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        try Shell.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint])
        defer {
            _ = try? Shell.run(["umount", "-l", mountPoint])
            try? FileManager.default.removeItem(atPath: mountPoint)
        }
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("cs-full-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let sensor = try await LoopbackSensor(alerts: "journald = false\njson_file = \"\(journal)\"",
                                                stateDirectory: mountPoint)
        await sensor.raiseAudits(2)
        #expect(await sensor.eventually { Self.storedAlerts(journal) == 2 }, "\(sensor.logText.suffix(1500))")

        // The rest of the room taken by another file, as a filling partition would.
        let filler = "\(mountPoint)/filler"
        _ = try? Shell.run(["dd", "if=/dev/zero", "of=\(filler)", "bs=4k"])
        let raised = 300
        await sensor.raiseAudits(raised)
        #expect(await sensor.isAnswering, "the daemon runs on: \(sensor.logText.suffix(1500))")
        var notStored: UInt64 = 0
        #expect(await sensor.eventually {
            notStored = (try? await sensor.delivery().notStored) ?? 0
            return Self.storedAlerts(journal) - 2 + Int(notStored) == raised
        }, "every alert is stored or counted: \(Self.storedAlerts(journal)) stored, \(notStored) not")
        #expect(notStored > 0, "the full disk refused some")
        #expect(sensor.logText.contains("alert not stored"))

        // Room again: the next alerts are stored (and sent), and nothing more is counted.
        try FileManager.default.removeItem(atPath: filler)
        let before = Self.storedAlerts(journal)
        await sensor.raiseAudits(4)
        #expect(await sensor.eventually { Self.storedAlerts(journal) == before + 4 })
        #expect(try await sensor.delivery().notStored == notStored)
        #expect(sensor.stop() == 0)
    }
}
