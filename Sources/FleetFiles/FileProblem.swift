/// A line a reader skipped, or a file it could not read, and what was wrong with it.
public struct FileProblem: Error, Codable, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// The line's number (from 1); absent when the whole file is concerned.
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `FILE:LINE: message`, or `FILE: message`.
    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}
