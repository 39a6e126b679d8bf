/// A federation: which shared model fleet learning improves (`docs/fleet.md`, "Two federations").
public enum FleetFederation: String, Codable, CaseIterable, Hashable, Sendable {
    /// The sensor's mining model (`model.json`).
    case traffic
    /// The chain sidecar's address-behaviour model.
    case address
}
