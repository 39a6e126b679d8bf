import DetectionTraining
import Foundation
import Testing
@testable import Detection
import TestSupport

@Suite struct ManifestClassTests {
    func manifest(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cs-classes-\(UUID()).txt").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func classColumnIsReadAndOldLinesKeepWorking() throws {
        let path = try manifest("""
            mail.dat normal class=mail
            miner.dat mining class=cpu-miner   # a comment
            miner_mail.dat mining miner,mail
            miner2.dat mining class=cpu-miner miner2
            old.dat normal
            """)
        let traces = try Manifest.load(directory: "/data", manifest: path)
        #expect(traces.map(\.name) == ["mail", "miner", "miner_mail", "miner2", "old"])
        #expect(traces.map(\.trafficClass) == ["mail", "cpu-miner", nil, "cpu-miner", nil])
        #expect(traces.map(\.isMining) == [false, true, true, true, false])
        #expect(traces[2].parts == ["miner", "mail"])
        #expect(traces[3].parts == ["miner2"])
        #expect(traces[4].parts == ["old"])
    }

    @Test(arguments: [
        ("a.dat normal class=video\nb.dat mining class=video\n",
         ":2: class 'video' is labelled mining here but normal on line 1"),
        ("a.dat normal class=\n", ":1: class '' must be non-empty"),
        ("a.dat normal class=a/b\n", ":1: class 'a/b' must be"),
        ("a.dat normal class=x class=y\n", ":1: 'class=' given twice"),
        ("a.dat normal p,q r,s\n", ":1: unexpected 'r,s' after the parts"),
        ("a.dat normal p,q class=x extra\n", ":1: expected 'PATH mining|normal [PART,PART] [class=NAME]'"),
    ])
    func badClassColumnIsRefusedNamingTheLine(text: String, expected: String) throws {
        let path = try manifest(text)
        #expect {
            _ = try Manifest.load(directory: "/data", manifest: path)
        } throws: { error in
            (error as? ManifestError)?.description.hasPrefix(path) == true && "\(error)".contains(expected)
        }
    }

    @Test(.enabled(if: SharedData.isPresent, Comment(rawValue: SharedData.absentReason)))
    func defaultRuleGivesEveryPlainNyptoTraceItsOwnClassAndMixesNone() throws {
        let traces = try Manifest.load(directory: SharedData.path("nypto"))
        let classed = traces.filter { $0.trafficClass != nil }
        #expect(classed.count == 11)
        #expect(classed.allSatisfy { $0.parts == [$0.trafficClass!] })
        #expect(Set(classed.filter(\.isMining).compactMap(\.trafficClass)) == [
            "mining_2t_nicehash", "mining_4t_nicehash", "mining_gpu_nicehash_equihash_1070_60p",
            "mining_gpu_nicehash_equihash_1080ti_100p", "mining_gpu_nicehash_equihash_1080ti_85p", "vpn-mining-4t",
        ])
        #expect(Set(classed.filter { !$0.isMining }.compactMap(\.trafficClass)) == [
            "browsing", "netflix", "social-network", "youtube", "vpn-netflix",
        ])
        #expect(traces.filter { $0.parts.count == 2 }.allSatisfy { $0.trafficClass == nil })
    }
}
