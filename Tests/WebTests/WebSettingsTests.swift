import DaemonSupport
import Foundation
import Testing
import Web

/// `web.toml`: defaults, the rules for serving off loopback, the token file's mode, mistakes named by key.
@Suite struct WebSettingsTests {
    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("cs-web-\(UUID().uuidString.prefix(8))-\(name)").path
    }

    @Test func theShippedFileIsValidAndServesLoopback() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let settings = try WebSettings(path: root.appendingPathComponent("etc/coinsentry/web.toml").path)
        #expect(settings.listen.host == "127.0.0.1" && settings.listen.port == 8810)
        #expect(settings.listen.isLoopback && settings.listen.tokenFile == nil)
        #expect(settings.sensorSocket == "/run/coinsentry/control.sock")
        #expect(settings.chainSocket == "/run/coinsentry-chain/chain.sock")
        var local = settings
        local.assets = root.appendingPathComponent("web").path
        try local.checkAssets()
    }

    @Test func offLoopbackNeedsTLSAndAToken() {
        #expect {
            try WebSettings(toml: "[web]\nlisten = \"0.0.0.0:8810\"\n", source: "web.toml")
        } throws: { "\($0)".contains("web.toml: [web] tls_certificate:") && "\($0)".contains("not a loopback") }
        #expect {
            try WebSettings(toml: "[web]\nlisten = \"0.0.0.0:8810\"\ntls_certificate = \"c\"\ntls_key = \"k\"\n",
                            source: "web.toml")
        } throws: { "\($0)".contains("[web] token_file:") }
    }

    @Test func mistakesNameTheFileSectionAndKey() {
        #expect { try WebSettings(toml: "[web]\nlisen = \"127.0.0.1:1\"\n", source: "w.toml") } throws: {
            "\($0)" .hasPrefix("w.toml: [web] lisen is not a known key")
        }
        #expect { try WebSettings(toml: "[web]\nlisten = \"nowhere\"\n", source: "w.toml") } throws: {
            "\($0)".contains("[web] listen: 'nowhere' is not HOST:PORT")
        }
        #expect { try WebSettings(toml: "[web\n", source: "w.toml") } throws: { "\($0)".hasPrefix("w.toml:1:") }
        #expect { try WebSettings(toml: "[daemons]\nsensor_socket = 5\n", source: "w.toml") } throws: {
            "\($0)".contains("[daemons] sensor_socket must be a string")
        }
    }

    @Test func theTokenFileMustBeTheOwnersAlone() throws {
        let path = Self.temporary("token")
        defer { unlink(path) }
        try "s3cret\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o644)
        let settings = try WebSettings(toml: "[web]\ntoken_file = \"\(path)\"\n", source: "web.toml")
        #expect { try settings.token() } throws: { "\($0)".contains("may be read by others") }
        chmod(path, 0o600)
        #expect(try settings.token() == "s3cret")
    }

    @Test func aMissingAssetFolderStopsStartUp() throws {
        var settings = try WebSettings(toml: "", source: "web.toml")
        settings.assets = "/nonexistent-\(UUID())"
        #expect { try WebConsole(settings: settings) } throws: { "\($0)".contains("index.html is missing") }
    }
}
