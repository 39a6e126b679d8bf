/// Defence in depth on a participant: a new global model is installed only if, on the participant's own held-back
/// data, it does not score worse than the model in use by more than a margin.
public struct AcceptanceCheck: Hashable, Sendable {
    /// The largest drop in score tolerated (in score units, e.g. 0.02 = two points of balanced accuracy).
    public var margin: Double

    /// Creates a check; `margin` must be finite and ≥ 0.
    public init(margin: Double) {
        precondition(margin.isFinite && margin >= 0, "the margin must be finite and at least 0")
        self.margin = margin
    }

    /// The outcome for one candidate.
    public struct Decision: Hashable, Sendable, Codable {
        /// True when the candidate may be installed.
        public var accepted: Bool
        /// The score of the model in use and of the candidate.
        public var currentScore: Double
        public var candidateScore: Double
        /// Why, in words.
        public var reason: String
    }

    /// Compares the candidate's score with the current model's, both on the same held-back data.
    public func decide(current: Double, candidate: Double, metric: String) -> Decision {
        let drop = current - candidate
        let figures = "\(metric) \(Self.format(candidate)) against \(Self.format(current)) for the model in use"
        if candidate.isFinite, drop <= margin + 1e-12 {
            return Decision(accepted: true, currentScore: current, candidateScore: candidate,
                            reason: "\(figures) (margin \(Self.format(margin)))")
        }
        return Decision(accepted: false, currentScore: current, candidateScore: candidate,
                        reason: "\(figures): worse by \(Self.format(drop)), more than the margin "
                            + "\(Self.format(margin))")
    }

    private static func format(_ value: Double) -> String {
        let scaled = (value * 10_000).rounded() / 10_000
        return "\(scaled)"
    }
}
