import Foundation
import TOMLKit

/// Reads scenario files, TOML (`.toml`) or JSON (any other extension), and reports problems with file and line.
public enum ScenarioLoader {
    /// The two scenario syntaxes.
    public enum Format: Sendable {
        case toml, json
    }

    /// Reads, decodes and validates the scenario at `path`.
    ///
    /// - Throws: ``ScenarioError`` naming the file, and the line where it can be found: syntax errors, unknown keys
    ///   (TOML), values of the wrong type or out of range.
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ScenarioError("cannot read the scenario: \(error.localizedDescription)", file: path)
        }
        return try parse(text, format: path.lowercased().hasSuffix(".toml") ? .toml : .json, file: path)
    }

    /// Decodes and validates scenario `text`; `file` names it in errors.
    public static func parse(_ text: String, format: Format, file: String) throws(ScenarioError) -> Scenario {
        let locator = SourceLocator(text: text, format: format)
        let scenario: Scenario
        do {
            // TOML goes through JSON so that integers decode where a number is expected (TOMLKit's decoder does
            // not turn `2400` into a Double).
            let json: Data
            switch format {
            case .toml: json = Data(try TOMLTable(string: text).convert(to: .json).utf8)
            case .json: json = Data(text.utf8)
            }
            if let (key, path) = ScenarioKeys.firstUnknownKey(json: try JSONSerialization.jsonObject(with: json)) {
                throw ScenarioError("unknown key '\(key)' (check its spelling against the scenario reference)",
                                    file: file, line: locator.line(of: path + [ArrayKey(key)]))
            }
            scenario = try JSONDecoder().decode(Scenario.self, from: json)
        } catch let error as ScenarioError {
            throw error
        } catch let error as TOMLParseError {
            throw ScenarioError("TOML syntax: \(error.description)", file: file, line: error.source.begin.line)
        } catch let error as DecodingError {
            throw Self.describe(error, file: file, locator: locator)
        } catch {
            throw ScenarioError("cannot parse the scenario: \(error.localizedDescription)", file: file)
        }
        do {
            try ScenarioValidator.validate(scenario)
        } catch var error {
            error.file = file
            if let index = error.actorIndex {
                error.line = locator.line(of: [ArrayKey("actors"), ArrayKey(index: index)])
                error.message = "actor '\(scenario.actors?[index].id ?? "?")': " + error.message
            } else {
                error.line = locator.line(of: [ArrayKey(error.message.split(separator: " ").first.map(String.init)
                                                        ?? "")])
            }
            throw error
        }
        return scenario
    }

    private static func describe(_ error: DecodingError, file: String, locator: SourceLocator) -> ScenarioError {
        let (path, detail): ([any CodingKey], String)
        switch error {
        case .keyNotFound(let key, let context):
            (path, detail) = (context.codingPath, "missing required key '\(key.stringValue)'")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            (path, detail) = (context.codingPath, context.debugDescription)
        @unknown default:
            (path, detail) = ([], "\(error)")
        }
        let where_ = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        let prefix = where_.isEmpty ? "" : "at \(where_.drop { $0 == "." }): "
        return ScenarioError(prefix + detail, file: file, line: locator.line(of: path))
    }
}

/// A coding key built from a name or an index.
struct ArrayKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(_ name: String) {
        stringValue = name
        intValue = nil
    }

    init(index: Int) {
        stringValue = "\(index)"
        intValue = index
    }

    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(index: intValue) }
}

/// Finds the line of a coding path in scenario text: keys by their `key =` (TOML) or `"key"` (JSON) lines, array
/// elements of tables by counting `[[name]]` headers (TOML) or the elements' first keys (JSON).
struct SourceLocator {
    let lines: [Substring]
    let format: ScenarioLoader.Format

    init(text: String, format: ScenarioLoader.Format) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        self.format = format
    }

    /// The 1-based line of `path`, or nil when even its first component cannot be found.
    func line(of path: [any CodingKey]) -> Int? {
        var found: Int?
        var start = 0
        for (position, component) in path.enumerated() {
            if let index = component.intValue {
                guard position > 0 else { continue }
                let array = path[position - 1].stringValue
                let next = position + 1 < path.count ? path[position + 1].stringValue : "id"
                guard let line = nthLine(index + 1, from: format == .toml ? 0 : start, matching: { trimmed in
                    format == .toml ? trimmed.hasPrefix("[[") && trimmed.contains(array)
                                    : trimmed.hasPrefix("\"\(next)\"") || trimmed.contains("{\"\(next)\"")
                }) else { return found.map { $0 + 1 } }
                found = line
                start = line
            } else {
                let key = component.stringValue
                guard let line = nthLine(1, from: start, matching: { trimmed in
                    switch format {
                    case .toml:
                        trimmed.hasPrefix(key + " ") || trimmed.hasPrefix(key + "=") || trimmed.hasPrefix("[\(key)")
                            || trimmed.hasPrefix("[[\(key)")
                    case .json: trimmed.contains("\"\(key)\"")
                    }
                }) else { return found.map { $0 + 1 } }
                found = line
                start = line
            }
        }
        return found.map { $0 + 1 }
    }

    private func nthLine(_ count: Int, from start: Int, matching predicate: (Substring) -> Bool) -> Int? {
        var seen = 0
        for index in start..<lines.count {
            let trimmed = lines[index].drop { $0 == " " || $0 == "\t" }
            if predicate(trimmed) {
                seen += 1
                if seen == count { return index }
            }
        }
        return nil
    }
}
