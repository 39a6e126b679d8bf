import Capture
import Foundation
import Testing

/// The link state read from sysfs: loopback's `unknown` counts as up, and names that are not an interface's are
/// absent rather than read from elsewhere.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: "/sys/class/net/lo/operstate"), "no sysfs network view here"))
struct InterfaceLinkTests {
    @Test func loopbackIsUp() {
        #expect(InterfaceLink.of("lo") == .up)
    }

    @Test func namesThatAreNoInterfaceAreAbsent() {
        #expect(InterfaceLink.of("csnone\(getpid() % 100_000)") == .absent)
        #expect(InterfaceLink.of("") == .absent)
        #expect(InterfaceLink.of("../lo") == .absent)
    }
}
