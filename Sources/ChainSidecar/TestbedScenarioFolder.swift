import Control
import Foundation
import Testbed

/// The folder of scenarios testbed runs are started from (`[testbed] scenarios`): each `*.toml` or `*.json` file is a
/// scenario named by its file name without the extension. Requests name scenarios, never paths: a name is looked up in
/// the folder's listing.
struct TestbedScenarioFolder: Sendable {
    let path: String

    /// The scenario files by name, sorted; a folder that does not exist has none.
    func files() -> [(name: String, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.compactMap { file -> (name: String, path: String)? in
            let url = URL(fileURLWithPath: file)
            guard ["toml", "json"].contains(url.pathExtension.lowercased()), !file.hasPrefix(".") else { return nil }
            return (url.deletingPathExtension().lastPathComponent, (path as NSString).appendingPathComponent(file))
        }.sorted { $0.name < $1.name }
    }

    /// Every scenario with its defaults; a file that does not load is listed with its problem as the description.
    func list() -> [TestbedScenario] {
        files().map { name, file in
            do {
                let scenario = try ScenarioLoader.load(path: file)
                let actors = (scenario.actors ?? []).reduce(0) { $0 + ($1.count ?? 1) }
                    + (scenario.random?.individuals ?? 0)
                return TestbedScenario(name: name, blocks: scenario.blocks, seed: scenario.seed, actors: actors,
                                       description: Self.leadingComment(file))
            } catch {
                return TestbedScenario(name: name, blocks: 0, seed: nil, actors: 0,
                                       description: "does not load: \(error)")
            }
        }
    }

    /// The scenario `name` names, loaded and checked.
    /// - Throws: ``TestbedRefusal/unknownScenario(_:known:)`` or ``TestbedRefusal/badScenario(_:)``.
    func load(_ name: String) throws(TestbedRefusal) -> Scenario {
        let files = files()
        guard let file = files.first(where: { $0.name == name }) else {
            throw .unknownScenario(name, known: files.map(\.name))
        }
        do {
            return try ScenarioLoader.load(path: file.path)
        } catch {
            throw .badScenario("\(error)")
        }
    }

    /// The `#` lines a TOML file starts with, as one line of text.
    static func leadingComment(_ file: String) -> String {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { line in line.hasPrefix("#") }
            .map { line in line.drop { $0 == "#" || $0 == " " } }
            .joined(separator: " ")
    }
}
