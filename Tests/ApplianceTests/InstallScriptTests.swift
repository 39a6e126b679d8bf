import Foundation
import TestSupport
import Testing

/// The README's install step (`scripts/install`), staged into a folder: every file where the units and the README say,
/// with its mode, and an operator's edited configuration kept on a second install.
@Suite struct InstallScriptTests {
    static let script = EndToEndTests.root.appendingPathComponent("scripts/install").path
    static let built = EndToEndTests.binaries.path
    static let unavailable: String? = ["coinsentryd", "coinsentryctl", "coinsentry", "coinsentry-chaind", "coinsentry-web"]
        .allSatisfy { FileManager.default.isExecutableFile(atPath: "\(built)/\($0)") }
        ? nil : "skipped: the five executables are not built in \(built)"

    static func install(into stage: String) throws -> String {
        try Shell.run(["/usr/bin/env", "DESTDIR=\(stage)", "BUILD_DIR=\(built)", script])
    }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test(.enabled(if: unavailable == nil, Comment(rawValue: unavailable ?? "")))
    func everythingLandsWhereTheUnitsLookAndEditsSurviveASecondInstall() throws {
        let stage = FileManager.default.temporaryDirectory.appendingPathComponent("cs-install-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: stage) }
        let output = try Self.install(into: stage)
        #expect(output.contains("coinsentryd --check"))
        for binary in ["coinsentryd", "coinsentryctl", "coinsentry", "coinsentry-chaind", "coinsentry-web"] {
            #expect(try Self.mode("\(stage)/usr/local/bin/\(binary)") == 0o755, "\(binary)")
        }
        // The console's configuration names its files where they were put.
        let web = try String(contentsOfFile: "\(stage)/etc/coinsentry/web.toml", encoding: .utf8)
        #expect(web.contains("assets = \"/usr/local/share/coinsentry/web\""))
        #expect(FileManager.default.fileExists(atPath: "\(stage)/usr/local/share/coinsentry/web/index.html"))
        #expect(FileManager.default.fileExists(atPath: "\(stage)/etc/systemd/system/coinsentry-web.service"))
        // The sidecar's configuration names the testbed's scenarios where they were put.
        let chain = try String(contentsOfFile: "\(stage)/etc/coinsentry/chain.toml", encoding: .utf8)
        #expect(chain.contains("scenarios = \"/usr/local/share/coinsentry/scenarios\""))
        #expect(FileManager.default.fileExists(atPath: "\(stage)/usr/local/share/coinsentry/scenarios/small.toml"))
        for file in ["coinsentry.toml", "chain.toml", "web.toml", "model.json", "pool-model.json", "pool-domains.txt"] {
            #expect(try Self.mode("\(stage)/etc/coinsentry/\(file)") == 0o644, "\(file)")
        }
        for file in ["etc/systemd/system/coinsentryd.service", "etc/systemd/system/coinsentry-chaind.service",
                     "etc/sysusers.d/coinsentry.conf", "etc/tmpfiles.d/coinsentry.conf",
                     "usr/local/share/doc/coinsentry/README.md", "usr/local/share/doc/coinsentry/docs/alerts.md",
                     "usr/local/share/man/man1/coinsentryctl.1", "usr/local/share/bash-completion/completions/coinsentryctl",
                     "usr/local/share/zsh/site-functions/_coinsentryd",
                     "usr/local/share/fish/vendor_completions.d/coinsentry.fish"] {
            #expect(FileManager.default.fileExists(atPath: "\(stage)/\(file)"), "\(file)")
        }
        // The units name what was installed.
        let unit = try String(contentsOfFile: "\(stage)/etc/systemd/system/coinsentryd.service", encoding: .utf8)
        for line in unit.split(separator: "\n") where line.hasPrefix("ExecStart=") || line.hasPrefix("Documentation=") {
            let path = line.split(separator: "=", maxSplits: 1)[1].split(separator: " ")[0]
                .replacingOccurrences(of: "file://", with: "")
            #expect(FileManager.default.fileExists(atPath: "\(stage)\(path)"), "\(line)")
        }
        // An operator's edit survives; the new shipped file goes beside it.
        let config = "\(stage)/etc/coinsentry/coinsentry.toml"
        try "# edited\n".write(toFile: config, atomically: true, encoding: .utf8)
        _ = try Self.install(into: stage)
        #expect(try String(contentsOfFile: config, encoding: .utf8) == "# edited\n")
        #expect(FileManager.default.fileExists(atPath: config + ".dist"))
        // The installed binaries say what they are.
        let version = try Shell.run(["\(stage)/usr/local/bin/coinsentryd", "--version"])
        #expect(version.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    /// The committed man pages (scripts/manuals) name every subcommand the executables have now.
    @Test(.enabled(if: unavailable == nil, Comment(rawValue: unavailable ?? "")))
    func theManPagesNameEverySubcommand() throws {
        for tool in ["coinsentry", "coinsentryctl"] {
            let help = try Shell.run(["\(Self.built)/\(tool)", "--help"])
            let page = try String(contentsOfFile: EndToEndTests.root.appendingPathComponent("man/\(tool).1").path,
                                  encoding: .utf8)
            guard let start = help.range(of: "SUBCOMMANDS:") else { continue }
            // A subcommand's line starts with two spaces; its wrapped description, with more.
            let subcommands = help[start.upperBound...].split(separator: "\n")
                .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") && !$0.contains("See '") }
                .compactMap { $0.split(separator: " ").first.map(String.init) }
            #expect(!subcommands.isEmpty)
            for subcommand in subcommands {
                #expect(page.contains(subcommand), "man/\(tool).1 lacks \(subcommand): run scripts/manuals")
            }
        }
    }

    /// The hand-written configuration pages name every key the shipped configuration files have.
    @Test func theConfigurationPagesNameEveryKey() throws {
        for (config, page) in [("coinsentry.toml", "coinsentry.toml.5"), ("chain.toml", "chain.toml.5"),
                               ("web.toml", "web.toml.5")] {
            let text = try String(contentsOfFile: EndToEndTests.root.appendingPathComponent("etc/coinsentry/\(config)").path,
                                  encoding: .utf8)
            let manual = try String(contentsOfFile: EndToEndTests.root.appendingPathComponent("man/\(page)").path,
                                    encoding: .utf8)
            for line in text.split(separator: "\n") {
                // `key = value`, also commented out (`# key = value`): every key the file documents.
                let body = line.hasPrefix("# ") ? line.dropFirst(2) : line[...]
                guard let equals = body.firstIndex(of: "="), !body.hasPrefix("#"), !body.hasPrefix(" ") else { continue }
                let key = body[..<equals].trimmingCharacters(in: .whitespaces)
                guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0 == "_" }) else { continue }
                #expect(manual.contains("Cm \(key)"), "man/\(page) does not describe \(key)")
            }
        }
    }
}
