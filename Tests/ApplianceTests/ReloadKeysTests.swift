import Appliance
import Testing

/// What a reload applies at once and what it says waits for a restart: every changed key is one or the other.
@Suite struct ReloadKeysTests {
    @Test func everyChangedKeyIsAppliedOrSaidToWaitForARestart() throws {
        let (_, engine) = try SensorControlTests.router()
        let current = engine.snapshot().configuration
        var next = current
        next.alerts.reminderSeconds = current.alerts.reminderSeconds + 60
        next.fusion.evidenceHoldSeconds = current.fusion.evidenceHoldSeconds + 1
        next.capture.interfaces = current.capture.interfaces + ["eth9"]
        next.capture.snapLength = current.capture.snapLength + 64
        next.alerts.jsonFile = "/var/log/coinsentry/other.json"
        next.inline.queueMaxLength = current.inline.queueMaxLength + 1
        let (applied, pending) = engine.applyReloaded(next)
        #expect(applied == ["alerts.reminder_seconds", "verdict"])
        #expect(pending.contains("capture.interfaces"))
        #expect(pending.contains { $0.hasPrefix("[capture]") }, "snap_length is named with its section: \(pending)")
        #expect(pending.contains("[alerts] outputs") && pending.contains("[inline]"))
        let now = engine.snapshot().configuration
        #expect(now.alerts.reminderSeconds == next.alerts.reminderSeconds && now.fusion == next.fusion)
        #expect(now.capture == current.capture && now.inline == current.inline, "what waits is not applied")

        // The same configuration again: nothing to apply, nothing waiting beyond what still differs.
        #expect(engine.applyReloaded(now) == ([], []))
    }
}
