import Control
import Foundation

/// The methods each API path takes, read from the OpenAPI description the console serves (a test keeps it equal to
/// the routes), so that a request with another method on a known path gets 405 and `Allow` rather than 404.
struct AllowedMethods: Sendable {
    /// One path of the description: its segments (nil for a `{parameter}`) and its methods, upper case and sorted.
    private struct Template: Sendable {
        var segments: [Substring?]
        var methods: [String]

        var literalCount: Int { segments.count { $0 != nil } }
    }

    private let templates: [Template]

    /// Reads the description's `paths`; a missing or unreadable file gives no templates (404 stays 404).
    init(openAPI path: String) {
        let operations: Set = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        guard let data = FileManager.default.contents(atPath: path), case .object(let root)? = try? JSONValue.parse(data),
              case .object(let paths)? = root["paths"] else {
            templates = []
            return
        }
        templates = paths.compactMap { template, item in
            guard case .object(let fields) = item else { return nil }
            return Template(segments: template.split(separator: "/").map { $0.hasPrefix("{") ? nil : $0 },
                            methods: fields.keys.filter(operations.contains).map { $0.uppercased() }.sorted())
        }
    }

    /// The methods a path takes; empty when no path of the description matches it. Where several match, the one
    /// with the most literal segments wins (`/alerts/grouped` over `/alerts/{id}`), as the router decides.
    func methods(for path: String) -> [String] {
        let parts = path.split(separator: "/")
        let matching = templates.filter { template in
            template.segments.count == parts.count
                && zip(template.segments, parts).allSatisfy { segment, part in segment == nil || segment == part }
        }
        return matching.max { $0.literalCount < $1.literalCount }?.methods ?? []
    }
}
