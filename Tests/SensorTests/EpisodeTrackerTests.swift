import Capture
import Sensor
import Testing

/// One alert per episode: a flapping verdict, a rise from suspect to mining, the hold period, reminders.
@Suite struct EpisodeTrackerTests {
    static let host = HostAddress("10.0.0.5")!

    @Test func aVoteThatFlapsRaisesOneAlert() {
        var tracker = EpisodeTracker(holdSeconds: 1800)
        var alerts = [EpisodeTracker.Event]()
        // The vote turns the host suspect and back every five minutes for two hours.
        for step in 0..<24 {
            let time = Double(step) * 300
            alerts += tracker.due(at: time) { _ in nil }.map(\.event)
            let level: VerdictFusion.Level? = step.isMultiple(of: 2) ? .suspect : nil
            if let event = tracker.verdictChanged(Self.host, to: level, because: .voteFell, at: time) {
                alerts.append(event)
            }
        }
        #expect(alerts == [.opened(.suspect)])
        #expect(tracker.episodes[Self.host]?.quietSince == 6900.0)
        // Half an hour after the last flap the episode ends, once, with its reason.
        #expect(tracker.due(at: 23 * 300 + 1799) { _ in nil }.isEmpty)
        let ended = tracker.due(at: 23 * 300 + 1800) { _ in nil }
        #expect(ended.map(\.event) == [.ended(.suspect, .voteFell)] && ended.first?.host == Self.host)
        #expect(tracker.episodes.isEmpty)
        #expect(tracker.verdictChanged(Self.host, to: .suspect, because: nil, at: 99_999) == .opened(.suspect),
                "a host that turns again after its episode ended opens a new one")
    }

    @Test func aRiseToMiningIsNewsAndAFallBackIsNot() {
        var tracker = EpisodeTracker(holdSeconds: 600)
        #expect(tracker.verdictChanged(Self.host, to: .suspect, because: nil, at: 0) == .opened(.suspect))
        #expect(tracker.verdictChanged(Self.host, to: .mining, because: nil, at: 100) == .rose(.mining))
        #expect(tracker.verdictChanged(Self.host, to: .suspect, because: nil, at: 200) == nil)
        #expect(tracker.verdictChanged(Self.host, to: .mining, because: nil, at: 300) == nil)
        #expect(tracker.verdictChanged(Self.host, to: nil, because: .evidenceExpired, at: 400) == nil)
        #expect(tracker.due(at: 1000) { _ in nil }.map(\.event) == [.ended(.mining, .evidenceExpired)])
    }

    @Test func aHoldOfZeroEndsAtOnceAndRemindersFollowTheirPeriod() {
        var tracker = EpisodeTracker(holdSeconds: 0, reminderSeconds: 60)
        _ = tracker.verdictChanged(Self.host, to: .mining, because: nil, at: 0)
        #expect(tracker.due(at: 59) { _ in .mining }.isEmpty)
        #expect(tracker.due(at: 60) { _ in .mining }.map(\.event) == [.reminder(.mining)])
        #expect(tracker.due(at: 100) { _ in .mining }.isEmpty, "the next reminder is a period after the last")
        _ = tracker.verdictChanged(Self.host, to: nil, because: .hostQuiet, at: 110)
        #expect(tracker.due(at: 110) { _ in nil }.map(\.event) == [.ended(.mining, .hostQuiet)])
        #expect(tracker.close(Self.host) == nil)
    }
}
