import Appliance
import DaemonSupport
import Foundation
import Testing
import Web

/// The invalid TOML toml++ asserts on or reaches `TOML_UNREACHABLE` with (a table header whose name starts with a
/// character no key starts with, a date with a `T` and no time or with a space and one digit, a `}` inside an array,
/// a quote inside a value, a character beyond ASCII outside strings and comments) is refused with the file and line
/// by every daemon's reader instead of reaching the parser, on which a debug build aborted.
@Suite struct TOMLPreflightTests {
    @Test(arguments: ["[.a]", "[=]", "[@]", "[#]", "[é]", "[ é]", "[[ @]]", "[\u{1}a]", "[\u{7f}a]", "[ \t", "[[\r",
                      "a = 1979-05-27T:00", "a = 1979-05-27tx:", "a = [1, 1979-05-27T.:]", "a = {b = 2000-01-01T}",
                      "a = [}]", "a = [1, }]", "a = {b = [}][1]", "a = [[1], [ }]]",
                      "s= 1979-05-2= 1# x", "a = 1979-05-27 1 ", "a = [1979-05-27 0]", "a = {b = 1979-05-27 7}",
                      "a = 1979-05-27 1", "a = 19_79-05-27 1,",
                      "s= 1979-05-2= 1\u{FEFF}\u{7}", "a = 1979-05-27 1\u{200B}", "a = 1979-05-27 1\u{2060}x",
                      "a = 1\u{3002}", "a = 1.5 \u{A1}", "a = 1979-05-27\u{FB30}", "\u{A0}a = 1", "a\u{3000}= 1",
                      "[a]\u{FEFF}", "a = [1, \u{2003}2]", "a = {b = 1\u{85}}",
                      "statectory = 1e'_h=\u{3E2}}o", "a = 1\"é\"", "ab'c = 1", "a = tru'e'",
                      "s= 39=\"3\u{263}\"", "a = [-1[\"\u{3E2}\"]]", "a = {b = +1{'\u{3E2}'}}",
                      "a = 1979-05-27 07:32:00\u{3E2}", "a = \"\"\"x\\\u{FEE6}\"\"\"", "a = \"x\\ \u{E9}\"",
                      " [\"\"\"psi\\\u{FEE6}\\\\ue\n"])
    func whatTheParserAssertsOnIsRefusedWithItsLine(line: String) throws {
        let text = "# settings\n\n\(line)\nx = 1\n"
        let problem = try #require(TOMLPreflight.firstProblem(in: text))
        #expect(problem.line == 3)
        #expect { try SensorConfiguration.parse(text, file: "coinsentry.toml") } throws: {
            "\($0)" == "coinsentry.toml: line 3: \(problem.message)"
        }
        #expect { try WebSettings(toml: text, source: "web.toml") } throws: {
            "\($0)" == "web.toml:3: \(problem.message)"
        }
    }

    @Test(arguments: [
        "[a]\n[a.\"b c\"]\n[[d]]\n['e']\n[ f ]\n[\"é\"]\n",
        "x = [\n  [1, 2],\n  [ [3] ],\n  [ {a = 1} ],\n]\n",
        "s = \"\"\"\n[=]\n\"\"\"\nt = '''\n[.a]\n'''\n",
        "u = \"[=] \\\" [\"  # [@]\n# [.x]\n",
        "[]\n", "[", "[[ ",
        "a = 1979-05-27T07:32:00Z\nb = 1979-05-27 07:32:00\nc = 1979-05-27\nd = [1979-05-27t00:00:00]\n",
        "1979-05-27Tx = 1\n", "s = \"1979-05-27T:\"\n# 1979-05-27T:\n",
        "a = [{b = 1}, {c = [2, {d = 3}]}]\n", "s = [\"}\", '}'] # }\n",
        "a = [1979-05-27 , 1979-05-27 07:32:00]\nb = 1979-05-27 # 1\n",
        "a = \"\"\"x\"\"\"\"\"\nb = '''y'''''\nc = \"\"\"\"\"\"\n",
        "a.\"b\".'c' = 1\nd={e=\"f\",'g'=[\"h\"]}\n", "a = {b = [1, 2], c = 'é'}\n",
        "a = [-1, +2, \"é\", {b = 3, c = \"。\"}]\n1979-05-27 = \"é\"\n",
    ])
    func validHeadersDatesArraysStringsAndCommentsPass(text: String) {
        #expect(TOMLPreflight.firstProblem(in: text) == nil)
    }

    /// toml++ skips a byte order mark, so a header right after one is a header (an input the long fuzzing run found).
    @Test func aHeaderAfterAByteOrderMarkIsChecked() {
        #expect(TOMLPreflight.firstProblem(in: "\u{FEFF}[\u{FFFD}\u{FFFD}\"\n.we\"x\n")?.line == 1)
        #expect(TOMLPreflight.firstProblem(in: "\u{FEFF}[a]\nx = 1\n") == nil)
        #expect(TOMLPreflight.firstProblem(in: "x = 1\n\u{FEFF}[a]\n")?.message
                == "U+FEFF outside a string or comment: TOML allows only ASCII there; quote the key or value",
                "a mark elsewhere is no header's, and not whitespace either")
    }

    @Test func charactersBeyondASCIIAreFineInStringsAndComments() {
        #expect(TOMLPreflight.firstProblem(in: "a = \"é。\u{FEFF}\" # ¡ \u{3000}\nb = '\u{2003}'\n") == nil)
        #expect(TOMLPreflight.firstProblem(in: "c = \"\"\"\n。\"\"\"\n") == nil)
        #expect(TOMLPreflight.firstProblem(in: "[\"é\"]\n'。' = 1\n") == nil)
        #expect(TOMLPreflight.firstProblem(in: "a = 1\u{3002}\n")?.message
                == "U+3002 '。' outside a string or comment: TOML allows only ASCII there; quote the key or value")
    }

    /// toml++ tests for whitespace the character after a backslash and, after a line-ending backslash, the first one
    /// on the lines it joins that is no space, tab or line break; beyond ASCII there, its line and escape are named.
    @Test func whatFollowsABackslashInAStringIsASCII() throws {
        let joined = try #require(TOMLPreflight.firstProblem(in: "a = 1\nb = \"\"\"x \\  \n\n  \u{E9}y\"\"\"\n"))
        #expect(joined.line == 4)
        #expect(joined.message == "U+00E9 'é' after a backslash in a string, or first on a line that a line-ending "
                + "backslash joins: write it as \\u00E9")
        #expect(TOMLPreflight.firstProblem(in: "a = \"\"\"x\\\n  y\u{E9}\\n\u{1F600}\"\"\"\n") == nil)
        #expect(TOMLPreflight.firstProblem(in: "a = \"\\u00E9\\\\\u{E9}\"\nb = '\\\u{E9}'\n") == nil)
        let beyondThePlane = TOMLPreflight.firstProblem(in: "a = \"\"\"\\\u{1F600}\"\"\"\n")
        #expect(beyondThePlane?.message.hasSuffix("write it as \\U0001F600") == true)
    }

    /// The second `[` of `[[name]]` opens no array, so a `}` in such a header is left to the parser's own error.
    @Test func anArrayOfTablesHeaderIsNoArray() {
        #expect(TOMLPreflight.firstProblem(in: "[[a}]]\n") == nil)
        #expect(TOMLPreflight.firstProblem(in: "[[a]]\nb = [}]\n")?.line == 2)
    }

    @Test func linesAreCountedAcrossMultilineStrings() {
        #expect(TOMLPreflight.firstProblem(in: "a = \"\"\"x\\\ny\n\"\"\"\n[=]\n")?.line == 4)
        #expect(TOMLPreflight.firstProblem(in: "a = 1\n[\nb]\n")?.message
                == "a table header's name must be on the header's line")
    }
}
