import Detection
/// The class outcome of one trace of known class run through the class block and the host class vote, as the
/// sensor would decide it.
public struct ClassEvaluation: Sendable {
    /// One count per window class.
    public var windows: ClassConfusion
    /// One count per window, of the host's class after it (undecided before the vote's minimum).
    public var voted: ClassConfusion
    /// The host's class after the trace's last window.
    public var finalClass: HostClass?
    /// Windows decided as each class, by index (counted whether or not the actual class is known).
    public var predictedWindows: [Int]

    /// Nothing counted yet, over the classes of `classifier`.
    public init(classifier: MultiClassModel) {
        windows = ClassConfusion(classes: classifier.names, mining: classifier.isMining)
        voted = windows
        predictedWindows = [Int](repeating: 0, count: classifier.names.count)
    }

    /// Counts summed (over the same classes); the final class is `rhs`'s.
    public static func + (lhs: ClassEvaluation, rhs: ClassEvaluation) -> ClassEvaluation {
        var sum = lhs
        sum.windows = lhs.windows + rhs.windows
        sum.voted = lhs.voted + rhs.voted
        sum.predictedWindows = zip(lhs.predictedWindows, rhs.predictedWindows).map(+)
        sum.finalClass = rhs.finalClass
        return sum
    }

    /// Evaluates a trace's windows.
    ///
    /// - Parameters:
    ///   - windows: the trace's windows, in order, as the engine emitted them.
    ///   - classifier: the class block.
    ///   - actual: the trace's class index in the block, or `nil` when unknown (the matrices then stay empty).
    public static func evaluate(_ windows: TraceWindows, classifier: MultiClassModel, actual: Int?) -> ClassEvaluation {
        var result = ClassEvaluation(classifier: classifier)
        var vote = ClassVote(settings: classifier.parameters.vote, classCount: classifier.names.count)
        for features in windows.features {
            let predicted = classifier.classIndex(features)
            result.finalClass = vote.add(predicted)
            result.predictedWindows[predicted] += 1
            if let actual {
                result.windows.add(actual: actual, predicted: predicted)
                result.voted.add(actual: actual, predicted: result.finalClass?.index)
            }
        }
        return result
    }
}
