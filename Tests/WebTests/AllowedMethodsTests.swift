import Foundation
import Testing

@testable import Web

/// 405's `Allow` header comes from the OpenAPI description's paths.
@Suite struct AllowedMethodsTests {
    /// A description whose templates overlap: `/x/b` matches all four.
    static func methods(for path: String) throws -> [String] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("openapi-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let paths = #"""
            {"paths": {"/x/{p}": {"delete": {}}, "/{q}/b": {"put": {}}, "/{r}/{s}": {"patch": {}},
                       "/x/b": {"get": {}, "post": {}, "parameters": []}}}
            """#
        try Data(paths.utf8).write(to: file)
        return AllowedMethods(openAPI: file.path).methods(for: path)
    }

    @Test func theMostLiteralTemplateWins() throws {
        #expect(try Self.methods(for: "/x/b") == ["GET", "POST"])
        #expect(try Self.methods(for: "/x/c") == ["DELETE"])
        #expect(try Self.methods(for: "/y/b") == ["PUT"])
        #expect(try Self.methods(for: "/y/c") == ["PATCH"])
        #expect(try Self.methods(for: "/x/b/c").isEmpty)
    }

    @Test func noDescriptionAllowsNothing() {
        #expect(AllowedMethods(openAPI: "/nonexistent/openapi.json").methods(for: "/x/b").isEmpty)
    }
}
