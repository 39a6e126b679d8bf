import Detection
import Fleet
import FleetFiles
import Foundation
import Testing

/// The operators' label file as coinsentryd writes it and `coinsentry fleet windows --host-labels` reads it.
@Suite struct HostLabelFileTests {
    static let labels = [
        HostLabel(host: "10.0.0.7", label: .normal, note: nil, requestedBy: "uid=0 gid=0 pid=9 (coinsentryctl)",
                  time: Date(timeIntervalSince1970: 1_800_000_000)),
        HostLabel(host: "10.0.0.5", label: .mining, note: "xmrig \"found\"\tin /tmp", requestedBy: "uid=0",
                  time: Date(timeIntervalSince1970: 1_800_000_100)),
    ]

    @Test func labelsRoundTripSortedByHostAndBadLinesAreSkippedWithTheirNumbers() throws {
        let directory = try FleetFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = HostLabelFile.path(inStateDirectory: directory)
        try HostLabelFile.write(Self.labels, to: path)
        let (read, problems) = try HostLabelFile.read(path)
        #expect(problems.isEmpty)
        #expect(read == Self.labels.sorted { $0.host < $1.host })
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix(#"{"host":"10.0.0.5","label":"mining","note":"xmrig \"found\"\tin /tmp","#))

        try (text + "garbage\n" + #"{"host":"10.0.0.9","label":"maybe","requested_by":"x","time":"2027-01-15T08:00:00Z"}"#
             + "\n" + text.split(separator: "\n")[0] + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let (kept, skipped) = try HostLabelFile.read(path)
        #expect(kept.count == 2)
        #expect(skipped.map(\.line) == [3, 4, 5])
        #expect(skipped[2].message == "10.0.0.5 labelled again")
        #expect(throws: FileProblem.self) { try HostLabelFile.read("\(directory)/absent.jsonl") }
    }

    @Test func tracesNamedAfterLabelledHostsTakeTheirLabelsAndTheRestAreLeftOut() throws {
        let directory = try FleetFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for trace in ["monday/10.0.0.5.dat", "monday/10.0.0.7.dat", "tuesday/10.0.0.5.dat", "tuesday/10.0.0.8.dat"] {
            let path = "\(directory)/\(trace)"
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try "".write(toFile: path, atomically: true, encoding: .utf8)
        }
        let traces = try HostLabelledTraces.load(directory: directory, labels: Self.labels)
        #expect(traces.map(\.name) == ["monday/10.0.0.5", "monday/10.0.0.7", "tuesday/10.0.0.5"])
        #expect(traces.map(\.isMining) == [true, false, true])
        #expect(traces.first?.path == "\(directory)/monday/10.0.0.5.dat")
    }
}
