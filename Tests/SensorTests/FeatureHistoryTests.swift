import Sensor
import Testing

@Suite struct FeatureHistoryTests {
    @Test func keepsTheLatestVectorsOldestFirstAcrossTheWrap() {
        var history = FeatureHistory()
        for window in 0..<7 { history.append([Double(window), Double(window) + 0.5], keeping: 3) }
        #expect(history.count == 3)
        #expect(history.latest(3) == [[4, 4.5], [5, 5.5], [6, 6.5]])
        #expect(history.latest(2) == [[5, 5.5], [6, 6.5]], "the newest of them")
        #expect(history.latest(10).count == 3, "never more than held")
    }

    @Test func aShorterLimitKeepsTheNewestAndALongerOneKeepsAll() {
        var history = FeatureHistory()
        for window in 0..<4 { history.append([Double(window)], keeping: 4) }
        history.append([4], keeping: 2)
        #expect(history.latest(5) == [[3], [4]])
        history.append([5], keeping: 5)
        #expect(history.latest(5) == [[3], [4], [5]])
    }

    @Test func vectorsOfAnotherWidthStartAfresh() {
        var history = FeatureHistory()
        history.append([1, 2], keeping: 3)
        history.append([1, 2, 3], keeping: 3)
        #expect(history.latest(3) == [[1, 2, 3]])
    }

    @Test func valuesAreKeptInSinglePrecision() {
        var history = FeatureHistory()
        history.append([0.1], keeping: 1)
        #expect(history.latest(1) == [[Double(Float(0.1))]])
        history.append([], keeping: 1)
        #expect(history.count == 1, "an empty vector is not a window")
    }
}
