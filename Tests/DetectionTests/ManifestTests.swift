import DetectionTraining
import Foundation
import Testing
@testable import Detection
import TestSupport

@Suite struct ManifestTests {
    @Test(.enabled(if: SharedData.isPresent, Comment(rawValue: SharedData.absentReason)))
    func defaultManifestLabelsNyptoMinersAndFindsMixParts() throws {
        let traces = try Manifest.load(directory: SharedData.path("nypto"))
        let byName = Dictionary(uniqueKeysWithValues: traces.map { ($0.name, $0) })
        #expect(traces.count == 37)
        #expect(byName["datasets/mining_2t_nicehash"]?.isMining == true)
        #expect(byName["vpn-datasets/vpn-mining-4t"]?.isMining == true)
        #expect(byName["vpn-datasets/vpn-netflix"]?.isMining == false)
        #expect(byName["merged-datasets/browsing_netflix"]?.isMining == false)
        let mix = try #require(byName["merged-datasets/mining_gpu_nicehash_equihash_1080ti_85p_social-network"])
        #expect(mix.isMining)
        #expect(mix.parts == ["mining_gpu_nicehash_equihash_1080ti_85p", "social-network"])
        #expect(byName["datasets/mining_2t_nicehash"]?.parts == ["mining_2t_nicehash"])
    }

    @Test func manifestFileGivesLabelsAndParts() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-manifest-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "# test\nmail.dat normal\nminer_mail.dat mining miner,mail  # a mix\n".write(
            toFile: "\(directory)/\(Manifest.defaultFileName)", atomically: true, encoding: .utf8)
        let traces = try Manifest.load(directory: directory)
        #expect(traces.map(\.name) == ["mail", "miner_mail"])
        #expect(traces.map(\.isMining) == [false, true])
        #expect(traces[1].parts == ["miner", "mail"])
    }

    @Test func badManifestLineIsNamed() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cs-bad-\(UUID()).txt").path
        try "a.dat normal\nb.dat maybe\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            _ = try Manifest.load(directory: "/tmp", manifest: path)
        } throws: { error in
            (error as? ManifestError)?.description.hasPrefix("\(path):2:") == true
        }
    }
}
