/// Behaviour classes of addresses: the project's one vocabulary. The regtest testbed writes its labels in it (its
/// behaviour names map onto these classes, see `BehaviourKind.behaviourClass`); label files may use other names too.
public enum BehaviourClass: String, CaseIterable, Sendable, Codable {
    case exchange, gambling, miningPool = "mining_pool", mixer, service, wallet, automatedPayouts = "automated_payouts"
}

/// One labelled address: its class and the data set it belongs to (for example "real" or "synthetic").
public struct LabelledAddress: Sendable, Equatable {
    public var address: String
    public var label: String
    public var set: String

    public init(address: String, label: String, set: String) {
        self.address = address
        self.label = label
        self.set = set
    }
}

/// Reads label files: one `address,class[,set]` per line; `#` comments and blank lines skipped.
///
/// A first line starting with `address,` is a header naming the columns; then `address` and `class` are required,
/// `set` is optional and any other column (the testbed's `actor` and `behaviour`, for example) is ignored. Without a
/// header the columns are `address,class[,set]`.
public enum LabelFile {
    /// A label line that could not be read.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var source: String
        public var line: Int
        public var message: String
        public var description: String { "\(source):\(line): \(message)" }
    }

    /// Parses `text` (named `source` in errors); lines without a set get `defaultSet`.
    public static func parse(_ text: String, source: String, defaultSet: String) throws -> [LabelledAddress] {
        var result = [LabelledAddress]()
        var columns = (address: 0, label: 1, set: Optional(2), count: 2...3)
        var header: [String]?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.filter { $0 != "\r" }.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
            if index == 0 && line.lowercased().hasPrefix("address,") {
                let names = fields.map { $0.lowercased() }
                guard let label = names.firstIndex(of: "class") else {
                    throw ParseError(source: source, line: 1, message: "the header names no 'class' column")
                }
                // The two-column header `address,class` is the plain format's: a third column is still the set.
                columns = names.count == 2 ? (0, label, 2, 2...3)
                    : (0, label, names.firstIndex(of: "set"), names.count...names.count)
                header = names
                continue
            }
            guard columns.count.contains(fields.count), !fields[columns.address].isEmpty,
                  !fields[columns.label].isEmpty else {
                let expected = header.map { "\($0.count) fields (\($0.joined(separator: ",")))" }
                    ?? "'address,class[,set]'"
                throw ParseError(source: source, line: index + 1, message: "expected \(expected)")
            }
            let set = columns.set.flatMap { $0 < fields.count && !fields[$0].isEmpty ? fields[$0] : nil }
            result.append(LabelledAddress(address: fields[columns.address], label: fields[columns.label],
                                          set: set ?? defaultSet))
        }
        return result
    }
}

extension StringProtocol {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
