/// What went wrong reading, writing or combining trace files; messages name the file and line.
public enum TraceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A line does not hold four whitespace-separated non-negative integers.
    case badLine(file: String, line: Int, reason: String)
    /// The file could not be read or written.
    case io(file: String, reason: String)
    /// Traces with different interval widths cannot be summed.
    case intervalMismatch(Double, Double)
    /// The target width is not a whole multiple of the trace's width.
    case cannotResample(from: Double, to: Double)

    public var description: String {
        switch self {
        case .badLine(let file, let line, let reason):
            return "\(file):\(line): \(reason); a trace line holds four non-negative integers: bytes received, "
                + "bytes sent, packets received, packets sent"
        case .io(let file, let reason):
            return "\(file): \(reason)"
        case .intervalMismatch(let a, let b):
            return "traces have different interval widths (\(a) s and \(b) s); resample them to one width first"
        case .cannotResample(let from, let to):
            return "cannot resample a trace of \(from) s intervals to \(to) s: the target must be a whole multiple"
        }
    }
}
