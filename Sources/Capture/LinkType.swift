import CCapture

/// A link-layer type the parser understands, by its libpcap DLT_ value.
public enum LinkType: Int32, Sendable, CaseIterable {
    case bsdLoopback = 0
    case ethernet = 1
    case rawIP = 12
    case openBSDLoopback = 108
    case linuxCooked = 113
    case ipv4 = 228
    case ipv6 = 229
    case linuxCookedV2 = 276
}
