import Foundation

/// Reading the JSON lines files fleet learning shares (the fleet state file, the operator label file): one JSON
/// object per line, blank lines ignored, each line decoded on its own so a bad one costs only itself.
enum JSONLines {
    /// The non-blank lines of `path` with their numbers (from 1).
    ///
    /// - Throws: `FileProblem` for the whole file, with `missing` as the message when it does not exist.
    static func lines(of path: String, missing: String) throws(FileProblem) -> [(number: Int, data: Data)] {
        guard FileManager.default.fileExists(atPath: path) else { throw FileProblem(file: path, message: missing) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileProblem(file: path, message: "cannot be read (permission denied?)")
        }
        return data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
            .compactMap { index, line in
                line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") } ? nil
                    : (index + 1, Data(line))
            }
    }

    /// Decodes one line as `T`; the error says which key is missing or of the wrong kind.
    static func decode<T: Decodable>(_ type: T.Type, _ data: Data, decoder: JSONDecoder = JSONDecoder())
        throws(LineError) -> T {
        do {
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw LineError(explaining: error)
        } catch {
            throw LineError(message: "\(error)")
        }
    }

    /// What was wrong with a line.
    struct LineError: Error {
        var message: String

        init(message: String) { self.message = message }

        init(explaining error: DecodingError) {
            func key(_ path: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
                "\"" + (path + (last.map { [$0] } ?? [])).map(\.stringValue).joined(separator: ".") + "\""
            }
            message = switch error {
            case .keyNotFound(let missing, let context): "\(key(context.codingPath, missing)) is missing"
            case .typeMismatch(let type, let context): "\(key(context.codingPath)) is not \(Self.kind(type))"
            case .valueNotFound(let type, let context): "\(key(context.codingPath)) is null, not \(Self.kind(type))"
            case .dataCorrupted(let context) where context.codingPath.isEmpty: "not a JSON object"
            case .dataCorrupted(let context): "\(key(context.codingPath)): \(context.debugDescription)"
            @unknown default: "\(error)"
            }
        }

        private static func kind(_ type: Any.Type) -> String {
            switch type {
            case is String.Type: "text"
            case is Int.Type, is Double.Type, is UInt64.Type: "a number"
            default: "\(type)"
            }
        }
    }
}
