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
        var inValue = false
        var tokenStart = true
        // toml++ skips a byte order mark at the start, so a header right after one begins the first line.
        var index = scalars.first == "\u{FEFF}" ? 1 : 0
        func at(_ position: Int) -> Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }
        func next(_ offset: Int) -> Unicode.Scalar? { at(index + offset) }
        while index < scalars.count {
            let scalar = scalars[index]
            defer { index += 1 }
            if scalar == "\n" {
                line += 1
                lineStart = true
                tokenStart = true
                if open.isEmpty { inValue = false }
                if context != .multilineBasic && context != .multilineLiteral { context = .code }
                continue
            }
            switch context {
            case .comment:
                continue
            case .basic, .multilineBasic:
                if scalar == "\\" {
                    if next(1) != "\n" { index += 1 }
                } else if scalar == "\"" && (context == .basic || (next(1) == "\"" && next(2) == "\"")) {
                    if context == .multilineBasic { index += 2 }
                    context = .code
                }
                continue
            case .literal, .multilineLiteral:
                if scalar == "'" && (context == .literal || (next(1) == "'" && next(2) == "'")) {
                    if context == .multilineLiteral { index += 2 }
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
            let startsToken = tokenStart
            tokenStart = [",", "=", "[", "{", "]", "}"].contains(scalar)
            defer { lineStart = false }
            switch scalar {
            case "#":
                context = .comment
            case "\"", "'":
                let triple = next(1) == scalar && next(2) == scalar
                context = scalar == "\"" ? (triple ? .multilineBasic : .basic) : (triple ? .multilineLiteral : .literal)
                if triple { index += 2 }
            case "[" where lineStart && open.isEmpty:
                var first = index + (next(1) == "[" ? 2 : 1)
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
            case "]", "}":
                if scalar == "}" && open.last == "[" {
                    return Problem(line: line, message: "'}' inside an array: close the array with ']' first")
                }
                _ = open.popLast()
            case "=":
                inValue = true
            case "0"..."9" where startsToken && (inValue || !open.isEmpty):
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
                // Ten characters shaped like a date (`_` not counted), a space, one digit, then the value's end.
                var token = [Unicode.Scalar](), offset = 0
                while let found = next(offset), !endsValue(found), token.count <= 10 {
                    if found != "_" { token.append(found) }
                    offset += 1
                }
                if token.count == 10, token[4] == "-", token[7] == "-", next(offset) == " ",
                   let digit = next(offset + 1), ("0"..."9").contains(digit),
                   let after = next(offset + 2), endsValue(after) {
                    return Problem(line: line, message: "a date-time needs its time (HH:MM:SS) after the space")
                }
            default:
                break
            }
        }
        return nil
    }

    /// What ends a value for toml++: whitespace (line breaks included), `]`, `}`, `,` or `#`.
    private static func endsValue(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar == "]" || scalar == "}" || scalar == "," || scalar == "#"
    }

    private static func isKeyStart(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-", "\"", "'": true
        default: false
        }
    }

    private static func shown(_ scalar: Unicode.Scalar) -> String {
        scalar.properties.generalCategory == .control
            ? "U+\(String(scalar.value, radix: 16, uppercase: true))" : "'\(scalar)'"
    }
}
