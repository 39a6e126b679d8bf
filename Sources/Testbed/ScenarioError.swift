/// A problem with a scenario file: the file and line when known, and what to change.
public struct ScenarioError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The scenario file, when the scenario came from one.
    public var file: String?
    /// The 1-based line the problem is on, when known.
    public var line: Int?
    /// What is wrong and what to do.
    public var message: String
    /// Index of the actor the problem is in, used to find its line.
    var actorIndex: Int?

    /// Creates an error.
    public init(_ message: String, file: String? = nil, line: Int? = nil) {
        self.message = message
        self.file = file
        self.line = line
    }

    init(actor index: Int, _ message: String) {
        self.message = message
        actorIndex = index
    }

    public var description: String {
        switch (file, line) {
        case let (file?, line?): "\(file):\(line): \(message)"
        case let (file?, nil): "\(file): \(message)"
        default: message
        }
    }
}
