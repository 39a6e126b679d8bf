import TOMLKit

/// A configuration file that is wrong: the file, the section and key (or line), and what is wrong.
public struct ConfigurationProblem: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}

/// Typed access to `[section] key` values of a daemon's TOML file, every mistake named by file, section and key;
/// unknown sections and keys are refused, so a misspelt key never silently falls back to a default.
public struct TOMLSections {
    public let table: TOMLTable
    public let source: String

    /// Parses TOML text; a syntax error names `source` and its line.
    public static func parse(_ text: String, source: String) throws(ConfigurationProblem) -> TOMLTable {
        if let problem = TOMLPreflight.firstProblem(in: text) {
            throw ConfigurationProblem(description: "\(source):\(problem.line): \(problem.message)")
        }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationProblem(description: "\(source):\(error.source.begin.line): \(error.description)")
        } catch {
            throw ConfigurationProblem(description: "\(source): \(error)")
        }
    }

    /// Checks every section and key of `table` against `known`; `hints` adds a word to the error for a key by its
    /// full name (`section.key`), e.g. where a renamed key went.
    public init(table: TOMLTable, source: String, known: [String: Set<String>],
                hints: [String: String] = [:]) throws(ConfigurationProblem) {
        self.table = table
        self.source = source
        for section in table.keys.sorted() {
            guard let keys = known[section] else {
                throw fail("[\(section)] is not a known section (known: "
                           + "\(known.keys.sorted().map { "[\($0)]" }.joined(separator: ", ")))")
            }
            guard let entries = table[section]?.table else { throw fail("\(section) must be a section ([\(section)])") }
            for key in entries.keys.sorted() where !keys.contains(key) {
                let hint = hints["\(section).\(key)"].map { "; \($0)" } ?? ""
                throw fail("[\(section)] \(key) is not a known key (known here: "
                           + "\(keys.sorted().joined(separator: ", ")))\(hint)")
            }
        }
    }

    /// An error naming the file.
    public func fail(_ message: String) -> ConfigurationProblem {
        ConfigurationProblem(description: "\(source): \(message)")
    }

    private func value(_ section: String, _ key: String) -> (any TOMLValueConvertible)? {
        table[section]?.table?[key]
    }

    public func string(_ section: String, _ key: String) throws(ConfigurationProblem) -> String? {
        guard let value = value(section, key) else { return nil }
        guard let text = value.string else { throw fail("[\(section)] \(key) must be a string") }
        return text
    }

    public func strings(_ section: String, _ key: String) throws(ConfigurationProblem) -> [String]? {
        guard let value = value(section, key) else { return nil }
        guard let array = value.array, array.allSatisfy({ $0.string != nil }) else {
            throw fail("[\(section)] \(key) must be a list of strings")
        }
        return array.compactMap(\.string)
    }

    public func number(_ section: String, _ key: String) throws(ConfigurationProblem) -> Double? {
        guard let value = value(section, key) else { return nil }
        guard let number = value.double ?? value.int.map(Double.init), number.isFinite else {
            throw fail("[\(section)] \(key) must be a number")
        }
        return number
    }

    public func integer(_ section: String, _ key: String) throws(ConfigurationProblem) -> Int? {
        guard let value = value(section, key) else { return nil }
        guard let integer = value.int else { throw fail("[\(section)] \(key) must be a whole number") }
        return integer
    }

    public func bool(_ section: String, _ key: String) throws(ConfigurationProblem) -> Bool? {
        guard let value = value(section, key) else { return nil }
        guard let flag = value.bool else { throw fail("[\(section)] \(key) must be true or false") }
        return flag
    }
}

extension TOMLSections {
    /// The `ListenSettings` of `[section]` (`listen`, `tls_certificate`, `tls_key`, `token_file`); nil when `listen`
    /// is "" (off). A missing `listen` takes `fallback`.
    public func listen(_ section: String, fallback: String) throws(ConfigurationProblem) -> ListenSettings? {
        let listen = try string(section, "listen")
        let certificate = try string(section, "tls_certificate")
        let privateKey = try string(section, "tls_key")
        let tokenFile = try string(section, "token_file")
        do throws(ListenSettings.Problem) {
            return try ListenSettings.parse(listen: listen, certificate: certificate, privateKey: privateKey,
                                            tokenFile: tokenFile, fallback: fallback, table: section)
        } catch {
            let key = error.key.split(separator: ".").last.map(String.init) ?? error.key
            throw fail("[\(section)] \(key): \(error.message)")
        }
    }
}
