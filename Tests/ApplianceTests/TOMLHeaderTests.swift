import Appliance
import DaemonSupport
import Foundation
import Testing
import Web

/// Table headers whose name starts with a character no key may start with are refused with the file and line named,
/// by every daemon's reader, instead of reaching the TOML parser (toml++ asserts on them: a debug build aborted).
@Suite struct TOMLHeaderTests {
    @Test(arguments: ["[.a]", "[=]", "[@]", "[#]", "[é]", "[ é]", "[[ @]]", "[\u{1}a]", "[\u{7f}a]", "[ \t", "[[\r"])
    func aHeaderStartingWithAnythingButAKeyIsRefusedWithItsLine(header: String) throws {
        let text = "# settings\n\n\(header)\nx = 1\n"
        #expect(TOMLHeaderCheck.firstBadHeader(in: text)?.line == 3)
        #expect { try SensorConfiguration.parse(text, file: "coinsentry.toml") } throws: {
            "\($0)".hasPrefix("coinsentry.toml: line 3: a table ")
        }
        #expect { try WebSettings(toml: text, source: "web.toml") } throws: {
            "\($0)".hasPrefix("web.toml:3: a table ")
        }
    }

    @Test(arguments: [
        "[a]\n[a.\"b c\"]\n[[d]]\n['e']\n[ f ]\n[\"é\"]\n",
        "x = [\n  [1, 2],\n  [ [3] ],\n  [ {a = 1} ],\n]\n",
        "s = \"\"\"\n[=]\n\"\"\"\nt = '''\n[.a]\n'''\n",
        "u = \"[=] \\\" [\"  # [@]\n# [.x]\n",
        "[]\n", "[", "[[ ",
    ])
    func headersArraysStringsAndCommentsThatAreNotBadPass(text: String) {
        #expect(TOMLHeaderCheck.firstBadHeader(in: text) == nil)
    }

    @Test func linesAreCountedAcrossMultilineStrings() {
        #expect(TOMLHeaderCheck.firstBadHeader(in: "a = \"\"\"x\\\ny\n\"\"\"\n[=]\n")?.line == 4)
        #expect(TOMLHeaderCheck.firstBadHeader(in: "a = 1\n[\nb]\n")?.message
                == "a table header's name must be on the header's line")
    }
}
