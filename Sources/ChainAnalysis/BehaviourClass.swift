/// Behaviour classes of addresses. Label files may use other names too; these are the ones the project defines.
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

/// Reads label files: one `address,class[,set]` per line; `#` comments and blank lines skipped; a header line
/// starting with `address,` is allowed.
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
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.filter { $0 != "\r" }.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") || (index == 0 && line.lowercased().hasPrefix("address,")) {
                continue
            }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
            guard fields.count == 2 || fields.count == 3, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw ParseError(source: source, line: index + 1, message: "expected 'address,class[,set]'")
            }
            result.append(LabelledAddress(address: fields[0], label: fields[1],
                                          set: fields.count == 3 && !fields[2].isEmpty ? fields[2] : defaultSet))
        }
        return result
    }
}

extension StringProtocol {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
