import Foundation
import Testing

/// The API's description: valid OpenAPI 3.1 by an independent validator, and naming every route the console serves.
@Suite struct OpenAPITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let document = repository.appendingPathComponent("web/openapi.json").path

    static let validator: String? = {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import openapi_spec_validator"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return "python3 is not on the PATH" }
        probe.waitUntilExit()
        return probe.terminationStatus == 0 ? nil : "openapi-spec-validator is not installed (scripts/setup installs it)"
    }()

    @Test(.enabled(if: validator == nil, Comment(rawValue: validator ?? "")))
    func theDescriptionIsValidOpenAPI() throws {
        let process = Process()
        // The python3 on the PATH: the one scripts/setup installed the validator for.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "openapi_spec_validator", Self.document]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
    }

    @Test func everyRouteIsDescribed() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.document))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let paths = Set((object?["paths"] as? [String: Any])?.keys.map { $0 } ?? [])
        #expect(object?["openapi"] as? String == "3.1.0")
        // The routes registered in Sources/Web, in OpenAPI's spelling of parameters.
        let sources = Self.repository.appendingPathComponent("Sources/Web")
        var registered = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(atPath: sources.path) where file.hasSuffix("Routes.swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            let group = text.firstMatch(of: /router\.group\("([^"]+)"\)/).map { "/" + String($0.1) } ?? ""
            for match in text.matches(of: /(?:api|router)\.(?:get|post|delete)\("([^"]+)"\)/) {
                var path = String(match.1)
                path = path.hasPrefix("api/") ? "/" + path : group + "/" + path
                registered.insert(path.replacing(/:([a-z]+)/) { "{\($0.1)}" })
            }
        }
        #expect(registered.count > 15)
        for path in registered.sorted() {
            #expect(paths.contains(path), "\(path) is served but not in web/openapi.json")
        }
    }
}
