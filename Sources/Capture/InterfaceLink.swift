import Foundation

/// Whether an interface's link carries traffic, as the kernel reports it in `/sys/class/net/NAME/operstate` (the
/// RFC 2863 states). An interface taken down, or one whose cable, veth peer or lower device is down, keeps its capture
/// open: the kernel feeds it again when the link is back, but until then there is nothing to capture.
public enum InterfaceLink: Equatable, Sendable {
    /// Up, or in a state the kernel does not track (`unknown`: loopback, tun and many virtual interfaces report it).
    case up
    /// Down, with the kernel's word for it (`down`, `lowerlayerdown` or `notpresent`).
    case down(String)
    /// No such interface (or no sysfs to ask): the capture's own end reports a removed interface.
    case absent

    /// The link of `interface` now.
    public static func of(_ interface: String) -> InterfaceLink {
        guard !interface.isEmpty, !interface.contains("/"),
              let text = try? String(contentsOfFile: "/sys/class/net/\(interface)/operstate", encoding: .utf8)
        else { return .absent }
        let state = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return ["down", "lowerlayerdown", "notpresent"].contains(state) ? .down(state) : .up
    }
}
