/// Finds, before a configuration reaches the TOML parser, the invalid TOML that toml++ 3 (inside TOMLKit 0.6) asserts
/// on instead of reporting a parse error (a debug build aborts; in a release build the assertion is an assumption and
/// the behaviour undefined):
///
/// - a table header whose name does not start, after spaces and tabs and on the header's line, with a bare-key
///   character (`A-Z a-z 0-9 _ -`) or a quote: `[.web]`, `[=]`, `[ é]`, `[` then a line break. A header is a `[` or
///   `[[` that begins a line (the first after a byte order mark) outside any string, comment, array or inline table.
/// - a date followed by `T` or `t` and no time: `1979-05-27T:00`, `1979-05-27Tx:`; or by a space and a single digit
///   that ends the value: `1979-05-27 1#`.
/// - a `}` inside an array, where a value, `,` or `]` belongs: `a = [}]`, `a = {b = [1, }]}`.
/// - any character beyond ASCII outside strings and comments (`a = 1。`): TOML allows none there, and toml++'s
///   test for non-ASCII whitespace, which it runs on such characters, reaches `TOML_UNREACHABLE` for most of them
///   (undefined behaviour). A byte order mark that begins the text is skipped, as toml++ skips it. A value that
///   starts with a digit or a sign is read, as toml++ reads it, to its end before its type is known, quotes included
///   (`a = 39="3é"` is one value, not a string); a quote elsewhere inside a value or key is refused (`a = tru'e'`).
///   In basic strings toml++ tests for whitespace what follows a backslash, so a character beyond ASCII there, or
///   first on a line that a line-ending backslash joins, is refused with its escape (`\u00E9`) to write instead.
public enum TOMLPreflight {
    /// Text the parser must not see: its 1-based line and what is wrong.
    public struct Problem: Sendable, Equatable {
        public var line: Int
        public var message: String
    }

    private enum Context {
        case code, basic, literal, multilineBasic, multilineLiteral, comment
    }

    /// The first problem in `text`; nil when there is none.
    public static func firstProblem(in text: String) -> Problem? {
        let scalars = Array(text.unicodeScalars)
        var line = 1
        var context = Context.code
        /// The arrays and inline tables open at this point, innermost last: `[` or `{`.
        var open = [Unicode.Scalar]()
        var lineStart = true
        /// Whether a key comes next: at a line's start outside arrays and inline tables, and after `{` or an inline
        /// table's `,`; after `=`, `[` and the rest, a value does.
        var expectingKey = true
        var tokenStart = true
        // toml++ skips a byte order mark at the start, so a header right after one begins the first line.
        var index = scalars.first == "\u{FEFF}" ? 1 : 0
        func at(_ position: Int) -> Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }
        func next(_ offset: Int) -> Unicode.Scalar? { at(index + offset) }
        /// The quotes (at most two) after a multi-line string's closing three that are still its text: `"""x"""""`.
        func closingQuotes() -> Int {
            var extra = 0
            while extra < 2, next(3 + extra) == scalars[index] { extra += 1 }
            return extra
        }
        while index < scalars.count {
            let scalar = scalars[index]
            defer { index += 1 }
            if scalar == "\n" {
                line += 1
                lineStart = true
                tokenStart = true
                if open.isEmpty { expectingKey = true }
                if context != .multilineBasic && context != .multilineLiteral { context = .code }
                continue
            }
            switch context {
            case .comment:
                continue
            case .basic, .multilineBasic:
                if scalar == "\\" {
                    // toml++ tests what follows a backslash for whitespace: the character after it (and any spaces
                    // and tabs), and after a line-ending backslash the first that is no space, tab or line break.
                    var after = index + 1, afterLine = line
                    while at(after) == " " || at(after) == "\t" { after += 1 }
                    if context == .multilineBasic, at(after) == "\n" || (at(after) == "\r" && at(after + 1) == "\n") {
                        while let skipped = at(after), skipped == " " || skipped == "\t" || skipped == "\r"
                                || skipped == "\n" {
                            if skipped == "\n" { afterLine += 1 }
                            after += 1
                        }
                    }
                    if let found = at(after), !found.isASCII {
                        return Problem(line: afterLine, message: "\(shown(found)) after a backslash in a string, or "
                                       + "first on a line that a line-ending backslash joins: write it as "
                                       + "\(escaped(found))")
                    }
                    if next(1) != "\n" { index += 1 }
                } else if scalar == "\"" && (context == .basic || (next(1) == "\"" && next(2) == "\"")) {
                    if context == .multilineBasic { index += 2 + closingQuotes() }
                    context = .code
                }
                continue
            case .literal, .multilineLiteral:
                if scalar == "'" && (context == .literal || (next(1) == "'" && next(2) == "'")) {
                    if context == .multilineLiteral { index += 2 + closingQuotes() }
                    context = .code
                }
                continue
            case .code:
                break
            }
            if scalar == " " || scalar == "\t" || scalar == "\r" {
                tokenStart = true
                continue
            }
            if !scalar.isASCII { return beyondASCII(scalar, line: line) }
            let startsToken = tokenStart
            tokenStart = [",", "=", "[", "{", "]", "}"].contains(scalar)
            defer { lineStart = false }
            switch scalar {
            case "#":
                context = .comment
            case "\"", "'":
                // A string starts a value or a key (or a dotted key's part). Inside a value toml++ scans on past a
                // quote as part of the value, so what follows is not text a string would shelter.
                guard startsToken || (index > 0 && scalars[index - 1] == ".") else {
                    return Problem(line: line, message: "a quote inside a value or key: a string must start the "
                                   + "value or key, after '=', '[', '{', ',', '.' or a space")
                }
                let triple = next(1) == scalar && next(2) == scalar
                context = scalar == "\"" ? (triple ? .multilineBasic : .basic) : (triple ? .multilineLiteral : .literal)
                if triple { index += 2 }
            case "[" where lineStart && open.isEmpty:
                // The second `[` of an array-of-tables header opens no array.
                if next(1) == "[" { index += 1 }
                var first = index + 1
                while at(first) == " " || at(first) == "\t" { first += 1 }
                guard let start = at(first) else { return nil }
                if start == "\n" || start == "\r" {
                    return Problem(line: line, message: "a table header's name must be on the header's line")
                }
                if !isKeyStart(start) && start != "]" {
                    return Problem(line: line, message: "a table name cannot start with \(shown(start)); name it "
                                   + "with letters, digits, '_' and '-', or quote it")
                }
            case "[", "{":
                open.append(scalar)
                expectingKey = scalar == "{"
            case "]", "}":
                if scalar == "}" && open.last == "[" {
                    return Problem(line: line, message: "'}' inside an array: close the array with ']' first")
                }
                _ = open.popLast()
                expectingKey = false
            case ",":
                expectingKey = open.last == "{"
            case "=":
                expectingKey = false
            case _ where startsToken && !expectingKey
                && (("0"..."9").contains(scalar) || scalar == "+" || scalar == "-"):
                // toml++ reads a value that starts with a digit or a sign to its end before it decides the value's
                // type, testing each character with its whitespace test on the way (quotes and all).
                var end = index
                while let found = at(end), !endsValue(found) {
                    if !found.isASCII { return beyondASCII(found, line: line) }
                    end += 1
                }
                defer { index = end - 1 }
                guard ("0"..."9").contains(scalar) else { break }
                // YYYY-MM-DD then T or t: the time must follow.
                let shape = "dddd-dd-dd"
                let matches = shape.unicodeScalars.enumerated().allSatisfy { offset, expected in
                    guard let found = next(offset) else { return false }
                    return expected == "d" ? ("0"..."9").contains(found) : found == expected
                }
                let separator = next(shape.unicodeScalars.count)
                if matches, separator == "T" || separator == "t",
                   !(next(shape.unicodeScalars.count + 1).map { ("0"..."9").contains($0) } ?? false) {
                    return Problem(line: line, message: "a date-time needs its time (HH:MM:SS) right after the 'T'")
                }
                // A value of ten characters shaped like a date (`_` not counted), a space, one digit, then the end.
                let token = scalars[index..<end].filter { $0 != "_" }
                if token.count == 10, token[4] == "-", token[7] == "-", at(end) == " ",
                   let digit = at(end + 1), ("0"..."9").contains(digit), let after = at(end + 2), endsValue(after) {
                    return Problem(line: line, message: "a date-time needs its time (HH:MM:SS) after the space")
                }
            default:
                break
            }
        }
        return nil
    }

    private static func beyondASCII(_ scalar: Unicode.Scalar, line: Int) -> Problem {
        Problem(line: line, message: "\(shown(scalar)) outside a string or comment: TOML allows only ASCII there; "
                + "quote the key or value")
    }

    /// What ends a value for toml++ (`is_value_terminator`): its whitespace, `]`, `}`, `,` or `#`.
    private static func endsValue(_ scalar: Unicode.Scalar) -> Bool {
        isTOMLPlusPlusWhitespace(scalar) || scalar == "]" || scalar == "}" || scalar == "," || scalar == "#"
    }

    /// toml++'s whitespace (`is_whitespace`): tab, space, U+000A to U+000D, U+0085, U+00A0, U+1680, U+180E,
    /// U+2000 to U+200B, U+2028, U+2029, U+202F, U+205F, U+2060, U+3000 and U+FEFF. Not Unicode's `White_Space`:
    /// U+180E, U+200B, U+2060 and U+FEFF are in it.
    private static func isTOMLPlusPlusWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x20, 0x0A...0x0D, 0x85, 0xA0, 0x1680, 0x180E, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F,
             0x2060, 0x3000, 0xFEFF:
            true
        default:
            false
        }
    }

    private static func isKeyStart(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-", "\"", "'": true
        default: false
        }
    }

    /// The TOML escape of a character: `\\u00E9`, or `\\U0001F600` beyond the Basic Multilingual Plane.
    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        scalar.value > 0xFFFF ? "\\U" + hex(scalar, digits: 8) : "\\u" + hex(scalar, digits: 4)
    }

    private static func hex(_ scalar: Unicode.Scalar, digits: Int) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - hex.count)) + hex
    }

    /// A character as a message shows it: `'x'` when it is printable ASCII, `U+3002 '。'` beyond ASCII, and only the
    /// code point for controls, formats and whitespace, which would not show.
    private static func shown(_ scalar: Unicode.Scalar) -> String {
        let code = "U+" + hex(scalar, digits: 4)
        switch scalar.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .unassigned, .surrogate,
             .privateUse:
            return code
        default:
            return scalar.isASCII ? "'\(scalar)'" : "\(code) '\(scalar)'"
        }
    }
}
