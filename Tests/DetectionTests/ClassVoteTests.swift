import Testing
@testable import Detection

@Suite struct ClassVoteTests {
    @Test func noClassBeforeTheMinimumWindows() {
        var vote = ClassVote(settings: ClassVoteSettings(length: 5, minimumWindows: 3), classCount: 3)
        #expect(vote.add(2) == nil)
        #expect(vote.add(2) == nil)
        #expect(vote.add(1) == HostClass(index: 2, share: 2.0 / 3, windows: 3))
    }

    @Test func majorityOfTheLastWindowsOnly() {
        var vote = ClassVote(settings: ClassVoteSettings(length: 4, minimumWindows: 1), classCount: 3)
        for index in [0, 0, 0, 1] { _ = vote.add(index) }
        #expect(vote.hostClass?.index == 0)
        _ = vote.add(1)  // window 0 ages out: 0, 0, 1, 1
        #expect(vote.add(1) == HostClass(index: 1, share: 0.75, windows: 4))  // 0, 1, 1, 1
    }

    @Test func aTieGoesToTheClassDecidedMostRecently() {
        var vote = ClassVote(settings: ClassVoteSettings(length: 4, minimumWindows: 1), classCount: 3)
        for index in [2, 1, 2, 1] { _ = vote.add(index) }
        #expect(vote.hostClass?.index == 1)
        _ = vote.add(2)  // 1, 2, 1, 2
        #expect(vote.hostClass == HostClass(index: 2, share: 0.5, windows: 4))
    }

    @Test func classVoteSettingsAreChecked() {
        #expect(throws: ModelError.self) { try ClassVoteSettings(length: 0).validate() }
        #expect(throws: ModelError.self) { try ClassVoteSettings(length: 5, minimumWindows: 6).validate() }
        #expect(throws: Never.self) { try ClassVoteSettings(length: 5, minimumWindows: 5).validate() }
    }
}

@Suite struct ClassConfusionTests {
    /// Two mining classes and a normal one; 10 windows of each, with known mistakes.
    static func example() -> ClassConfusion {
        var confusion = ClassConfusion(classes: ["cpu", "gpu", "video"], mining: [true, true, false])
        for _ in 0..<8 { confusion.add(actual: 0, predicted: 0) }
        confusion.add(actual: 0, predicted: 1)
        confusion.add(actual: 0, predicted: nil)
        for _ in 0..<10 { confusion.add(actual: 1, predicted: 1) }
        for _ in 0..<9 { confusion.add(actual: 2, predicted: 2) }
        confusion.add(actual: 2, predicted: 0)
        return confusion
    }

    @Test func perClassAndMacroFigures() throws {
        let confusion = Self.example()
        #expect(confusion.total == 30)
        #expect(confusion.undecided == 1)
        #expect(confusion.accuracy == 27.0 / 30)
        #expect(confusion.precision(0) == 8.0 / 9)
        #expect(confusion.recall(0) == 0.8)
        #expect(confusion.precision(1) == 10.0 / 11)
        #expect(confusion.recall(2) == 0.9)
        let macroPrecision = try #require(confusion.macroPrecision)
        #expect(abs(macroPrecision - (8.0 / 9 + 10.0 / 11 + 1) / 3) < 1e-12)
        #expect(confusion.macroRecall == (0.8 + 1 + 0.9) / 3)
    }

    @Test func collapsesToMiningVersusNormal() {
        let binary = Self.example().binary
        // cpu → gpu is still mining; undecided is not flagged; video → cpu is a false positive.
        #expect([binary.truePositives, binary.falseNegatives, binary.falsePositives, binary.trueNegatives]
            == [19, 1, 1, 9])
    }

    @Test func anUnpredictedClassCountsZeroPrecisionInTheMacroAverage() {
        var confusion = ClassConfusion(classes: ["a", "b"], mining: [true, false])
        confusion.add(actual: 0, predicted: 0)
        confusion.add(actual: 1, predicted: 0)
        #expect(confusion.precision(1) == nil)
        #expect(confusion.macroPrecision == 0.25)
        #expect(confusion.macroRecall == 0.5)
    }
}
