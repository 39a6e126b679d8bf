import Testing
@testable import Testbed

@Suite("Scenario files")
struct ScenarioLoaderTests {
    static let valid = """
        name = "t"
        blocks = 5

        [random]
        individuals = 3

        [[actors]]
        id = "ex"
        behaviour = "exchange"

        [[actors]]
        id = "dice"
        behaviour = "gambling"
        per_block = 2
        """

    static func parse(_ text: String) throws -> Scenario {
        try ScenarioLoader.parse(text, format: .toml, file: "s.toml")
    }

    @Test func shippedScenariosLoad() throws {
        for name in ["small.toml", "classes.toml", "rich.toml"] {
            let scenario = try ScenarioLoader.load(path: TestbedFixtures.scenarioPath(name))
            #expect(scenario.blocks > 0, "\(name)")
        }
    }

    @Test func tomlIntegersDecodeAsNumbers() throws {
        let scenario = try ScenarioLoader.parse(Self.valid, format: .toml, file: "t.toml")
        #expect(scenario.actors?[1].perBlock == 2)
        #expect(scenario.random?.individuals == 3)
    }

    @Test func misspeltKeyIsReportedWithItsLine() {
        let text = Self.valid.replacingOccurrences(of: "per_block = 2", with: "per_blok = 2")
        let error = #expect(throws: ScenarioError.self) { try Self.parse(text) }
        #expect(error?.line == 14)
        #expect(error?.description.hasPrefix("s.toml:14: unknown key 'per_blok'") == true)
    }

    @Test func wrongTypeIsReportedWithItsLine() {
        let text = Self.valid.replacingOccurrences(of: "per_block = 2", with: "per_block = \"two\"")
        let error = #expect(throws: ScenarioError.self) { try Self.parse(text) }
        #expect(error?.line == 14)
    }

    @Test func unknownBehaviourNamesTheActorsLine() {
        let text = Self.valid.replacingOccurrences(of: "\"gambling\"", with: "\"casino\"")
        let error = #expect(throws: ScenarioError.self) { try Self.parse(text) }
        #expect(error?.line == 13)
    }

    @Test func outOfRangeValueNamesTheActorAndItsTable() {
        let text = Self.valid.replacingOccurrences(of: "per_block = 2", with: "win_probability = 1.5")
        let error = #expect(throws: ScenarioError.self) { try Self.parse(text) }
        #expect(error?.line == 11)
        #expect(error?.message.contains("actor 'dice'") == true)
    }

    @Test func tomlSyntaxErrorGivesTheLine() {
        let text = Self.valid.replacingOccurrences(of: "blocks = 5", with: "blocks = = 5")
        let error = #expect(throws: ScenarioError.self) { try Self.parse(text) }
        #expect(error?.line == 2)
    }

    @Test func servicesWithoutCustomersAreRefused() {
        let text = Self.valid.replacingOccurrences(of: "[random]\nindividuals = 3\n", with: "")
        let error = #expect(throws: ScenarioError.self) { try Self.parse(text) }
        #expect(error?.message.contains("customers") == true)
    }

    @Test func jsonScenarioDecodesLikeTheTOMLOne() throws {
        let json = """
            {"name": "t", "blocks": 5, "random": {"individuals": 3},
             "actors": [{"id": "ex", "behaviour": "exchange"},
                        {"id": "dice", "behaviour": "gambling", "per_block": 2}]}
            """
        let fromJSON = try ScenarioLoader.parse(json, format: .json, file: "s.json")
        let fromTOML = try ScenarioLoader.parse(Self.valid, format: .toml, file: "s.toml")
        #expect(fromJSON.actors?.map(\.id) == fromTOML.actors?.map(\.id))
        #expect(fromJSON.actors?[1].perBlock == fromTOML.actors?[1].perBlock)
    }
}
