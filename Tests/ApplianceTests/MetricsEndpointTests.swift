import DaemonSupport
import Foundation
import Testing
import TestSupport

/// `/metrics` served over TLS with a bearer token, as it must be off loopback: real HTTPS requests with curl against a
/// certificate made by openssl for the test.
@Suite struct MetricsEndpointTests {
    static let unavailable: String? = ["openssl", "curl"].first { Shell.which($0) == nil }
        .map { "\($0) is not installed (scripts/setup installs it)" }

    /// A self-signed certificate for localhost, its key, and a token file of `mode`, in a new folder.
    static func material(tokenMode: Int = 0o600) throws -> (certificate: String, key: String, token: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-metrics-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificate = directory + "/metrics.pem", key = directory + "/metrics.key", token = directory + "/token"
        _ = try Shell.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                           "-nodes", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                           "-days", "1", "-keyout", key, "-out", certificate])
        try "s3cret-token\n".write(toFile: token, atomically: true, encoding: .utf8)
        chmod(token, mode_t(tokenMode))
        return (certificate, key, token)
    }

    /// The HTTP status curl saw, and the body.
    static func fetch(_ port: Int, certificate: String, token: String?) throws -> (status: String, body: String) {
        var arguments = ["curl", "-s", "--cacert", certificate, "-w", "\n%{http_code}",
                         "https://localhost:\(port)/metrics"]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        let output = try Shell.run(arguments)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        return (String(lines.last ?? ""), lines.dropLast().joined(separator: "\n"))
    }

    @Test(.enabled(if: unavailable == nil, Comment(rawValue: unavailable ?? "")))
    func onlyABearerOfTheTokenGetsTheMetricsOverTLS() async throws {
        let (certificate, key, token) = try Self.material()
        let settings = ListenSettings(host: "127.0.0.1", port: 0, certificate: certificate, privateKey: key,
                                       tokenFile: token)
        let endpoint = try MetricsEndpoint(settings: settings) { Array("coinsentry_test_total 1\n".utf8) }
        let serving = Task { try await endpoint.run() }
        defer { serving.cancel() }
        let port = endpoint.port
        let scraped = try await Task.detached { try Self.fetch(port, certificate: certificate, token: "s3cret-token") }
            .value
        #expect(scraped.status == "200")
        #expect(scraped.body.contains("coinsentry_test_total 1"))
        let anonymous = try await Task.detached { try Self.fetch(port, certificate: certificate, token: nil) }.value
        #expect(anonymous.status == "401")
        #expect(!anonymous.body.contains("coinsentry_test_total"))
        let wrong = try await Task.detached { try Self.fetch(port, certificate: certificate, token: "s3cret-tokeN") }
            .value
        #expect(wrong.status == "401")
    }

    @Test(.enabled(if: unavailable == nil, Comment(rawValue: unavailable ?? "")))
    func aTokenFileOthersMayReadIsRefusedNamingTheKey() throws {
        let (certificate, key, token) = try Self.material(tokenMode: 0o644)
        let settings = ListenSettings(host: "127.0.0.1", port: 0, certificate: certificate, privateKey: key,
                                       tokenFile: token)
        #expect { try MetricsEndpoint(settings: settings) { [] } } throws: { error in
            guard let problem = error as? ListenSettings.Problem else { return false }
            return problem.key == "metrics.token_file" && problem.message.contains("0600")
        }
        // A certificate that is not one is named too.
        let broken = ListenSettings(host: "127.0.0.1", port: 0, certificate: token, privateKey: key)
        #expect { try MetricsEndpoint(settings: broken) { [] } } throws: {
            ($0 as? ListenSettings.Problem)?.key == "metrics.tls_certificate"
        }
    }
}
