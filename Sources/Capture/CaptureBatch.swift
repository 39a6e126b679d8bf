/// What one `CaptureSession.nextBatch` returns: the interval events and the evidence the capture thread put in its
/// ring since the last batch, in ring order within each (evidence of a batch comes before or with its events'
/// intervals). Empty when the wait timed out.
public struct CaptureBatch: Sendable {
    public var events: [CaptureEvent] = []
    /// Mining protocol sessions, pool names (DNS, SNI) and flow-shape summaries.
    public var evidence: [CaptureEvidence] = []

    public init(events: [CaptureEvent] = [], evidence: [CaptureEvidence] = []) {
        self.events = events
        self.evidence = evidence
    }

    public var isEmpty: Bool { events.isEmpty && evidence.isEmpty }
}
