import Capture
import Foundation
import Logging

/// Watches the link of a captured interface from its consumer thread, at most once a second: a link that goes down
/// marks capture down with the kernel's reason (the session stays open; the kernel feeds it again when the link is
/// back), and a link back up ends the gap without counting a restart. A removed interface is left to the capture's
/// own end, which reopens it.
struct LinkWatch {
    let interface: String
    private var checkedAt = ContinuousClock.now
    private var down = false

    init(interface: String) { self.interface = interface }

    mutating func check(_ engine: SensorEngine, logger: Logger) {
        let now = ContinuousClock.now
        guard now - checkedAt >= .seconds(1) else { return }
        checkedAt = now
        switch InterfaceLink.of(interface) {
        case .down(let state) where !down:
            down = true
            let reason = "the link is down (operstate \(state)); capture resumes when it is up"
            logger.error("capture link down", metadata: ["interface": "\(interface)", "operstate": "\(state)"])
            engine.captureStopped(on: interface, reason: reason)
        case .up where down:
            down = false
            let gap = engine.captureResumed(on: interface, reopened: false)
            logger.notice("capture resumed", metadata: ["interface": "\(interface)",
                                                        "gap_seconds": "\(Int(gap.rounded()))"])
        default:
            break
        }
    }
}
