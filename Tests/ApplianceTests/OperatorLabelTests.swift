import Appliance
import Control
import FleetFiles
import Foundation
import Testing

/// Operators' host labels through the control router: validated, kept with who and when, written to the label file
/// fleet learning reads, and still there after a restart.
@Suite struct OperatorLabelTests {
    static func stateDirectory() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-labels-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func aLabelIsKeptWithItsOperatorWrittenToTheFileAndSurvivesARestart() async throws {
        let directory = try Self.stateDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (router, _) = try SensorControlTests.router(stateDirectory: directory)
        let labelled = try await SensorControlTests.send(
            SensorRequest.Label(host: "10.0.0.5", label: "mining", note: "xmrig in /tmp"), to: router)
            .decoded(as: HostLabelEntry.self)
        #expect(labelled.host == "10.0.0.5" && labelled.label == "mining" && labelled.note == "xmrig in /tmp")
        #expect(labelled.requestedBy.contains("uid=\(getuid())") && labelled.warning == nil)
        _ = try await SensorControlTests.send(SensorRequest.Label(host: "fd00::0009", label: "normal"), to: router)
        // Labelling again replaces.
        _ = try await SensorControlTests.send(SensorRequest.Label(host: "10.0.0.5", label: "normal"), to: router)

        let file = HostLabelFile.path(inStateDirectory: directory)
        let (written, problems) = try HostLabelFile.read(file)
        #expect(problems.isEmpty)
        #expect(written.map(\.host) == ["10.0.0.5", "fd00::9"])
        #expect(written.map(\.label) == [.normal, .normal])
        #expect(written.allSatisfy { $0.requestedBy.contains("uid=\(getuid())") })
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o640)

        // A restart: a new engine, store and label set over the same state directory.
        try FileManager.default.removeItem(atPath: file)
        let (restarted, _) = try SensorControlTests.router(stateDirectory: directory)
        let list = try await SensorControlTests.send(SensorRequest.Labels(), to: restarted)
            .decoded(as: HostLabelList.self)
        #expect(list.labels.map(\.host) == ["10.0.0.5", "fd00::9"])
        #expect(list.labels.first?.label == "normal" && list.file == file)
        #expect(try HostLabelFile.read(file).labels.count == 2, "the file is written again at start")

        let removed = try await SensorControlTests.send(SensorRequest.Unlabel(host: "fd00::9"), to: restarted)
            .decoded(as: TargetDone.self)
        #expect(removed.target == "fd00::9")
        #expect(try HostLabelFile.read(file).labels.map(\.host) == ["10.0.0.5"])
        let again = try await SensorControlTests.send(SensorRequest.Unlabel(host: "fd00::9"), to: restarted)
        #expect(again["error"]?.string == "fd00::9 has no label")
    }

    @Test func badHostsLabelsAndNotesAreRefusedWithWhatToGive() async throws {
        let (router, _) = try SensorControlTests.router()
        let host = try await SensorControlTests.send(SensorRequest.Label(host: "printer", label: "mining"), to: router)
        #expect(host["error"]?.string == "\"host\" must be an IP address (10.0.0.5, fd00::5), not 'printer'")
        let label = try await SensorControlTests.send(SensorRequest.Label(host: "10.0.0.5", label: "evil"), to: router)
        #expect(label["error"]?.string == "\"label\" is mining or normal, not 'evil'")
        let note = try await SensorControlTests.send(
            SensorRequest.Label(host: "10.0.0.5", label: "normal", note: "two\nlines"), to: router)
        #expect(note["error"]?.string == "\"note\" is one line of at most 500 characters")
        let list = try await SensorControlTests.send(SensorRequest.Labels(), to: router).decoded(as: HostLabelList.self)
        #expect(list.labels.isEmpty)
    }
}
