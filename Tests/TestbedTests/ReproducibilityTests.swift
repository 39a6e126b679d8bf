import Foundation
import Testing
@testable import Testbed

@Suite("Reproducibility")
struct ReproducibilityTests {
    static func files(_ run: TestbedFixtures.Run) throws -> [String: Data] {
        var contents = [String: Data]()
        for file in run.summary.files {
            contents[file] = try Data(contentsOf: URL(fileURLWithPath: run.directory.file(file)))
        }
        return contents
    }

    @Test func sameSeedGivesIdenticalBytes() throws {
        let first = try Self.files(TestbedFixtures.run("small.toml", seed: 42))
        let second = try Self.files(TestbedFixtures.run("small.toml", seed: 42))
        #expect(first.keys.sorted() == ["blocks/blk00000.dat", "labels.csv", "summary.json"])
        for (name, data) in first { #expect(second[name] == data, "\(name) differs between runs") }
    }

    @Test func differentSeedsGiveDifferentChains() throws {
        let first = try Self.files(TestbedFixtures.run("small.toml", seed: 42))
        let second = try Self.files(TestbedFixtures.run("small.toml", seed: 43))
        #expect(first["blocks/blk00000.dat"] != second["blocks/blk00000.dat"])
        #expect(first["labels.csv"] != second["labels.csv"])
    }

    @Test func blocksOptionSetsTheActivityLength() throws {
        let short = try TestbedFixtures.run("small.toml", seed: 42, blocks: 4)
        let long = try TestbedFixtures.run("small.toml", seed: 42, blocks: 9)
        #expect(short.summary.activityBlocks == 4 && long.summary.activityBlocks == 9)
        #expect(long.summary.tipHeight - short.summary.tipHeight == 5)
    }
}
