import Alerting
import FleetFiles
import Foundation
import Synchronization

/// The operators' host labels (`coinsentryctl label`): kept in the alert store (table `operator_labels`, so they
/// survive restarts) and written whole to the label file fleet learning reads (`HostLabelFile`, `labels.jsonl` in
/// the state directory) after every change and at start.
public final class OperatorLabels: Sendable {
    /// The label file.
    public let file: String
    private let store: AlertStore
    /// Labels by host. The lock is held across the store and file writes, so the file always follows the last
    /// change; labels change at an operator's pace, never on the capture path.
    private let labels: Mutex<[String: HostLabel]>

    /// - Parameters:
    ///   - saved: the labels the store held at start (`SensorState.labels`).
    ///   - file: the label file to keep in step.
    public init(saved: [HostLabel], store: AlertStore, file: String) {
        self.file = file
        self.store = store
        labels = Mutex(Dictionary(saved.map { ($0.host, $0) }, uniquingKeysWith: { _, last in last }))
    }

    /// Every label, by host.
    public var all: [HostLabel] { labels.withLock { $0.values.sorted { $0.host < $1.host } } }

    /// Stores a label (replacing the host's) and rewrites the file.
    ///
    /// - Returns: why the file could not be rewritten, if it could not (the label is kept all the same).
    /// - Throws: `AlertingError` when the store refuses it (nothing changed).
    public func set(_ label: HostLabel) throws(AlertingError) -> FleetError? {
        try labels.withLock { (labels: inout [String: HostLabel]) throws(AlertingError) -> FleetError? in
            try store.saveLabel(label)
            labels[label.host] = label
            return Self.write(labels, to: file)
        }
    }

    /// Takes a host's label away and rewrites the file.
    ///
    /// - Returns: whether there was one, and why the file could not be rewritten, if it could not.
    /// - Throws: `AlertingError` when the store refuses it (nothing changed).
    public func remove(host: String) throws(AlertingError) -> (removed: Bool, problem: FleetError?) {
        try labels.withLock { (labels: inout [String: HostLabel]) throws(AlertingError) in
            guard try store.removeLabel(host: host) || labels[host] != nil else { return (false, nil) }
            labels.removeValue(forKey: host)
            return (true, Self.write(labels, to: file))
        }
    }

    /// Writes the file from the labels held (at start, so it matches the store).
    ///
    /// - Returns: why it could not be written, if it could not.
    public func writeFile() -> FleetError? {
        labels.withLock { Self.write($0, to: file) }
    }

    private static func write(_ labels: [String: HostLabel], to file: String) -> FleetError? {
        do throws(FleetError) {
            try HostLabelFile.write(Array(labels.values), to: file)
            return nil
        } catch {
            return error
        }
    }
}
