import Foundation
import Testing
import TestSupport

/// The coordinator checks its strategy parameters before the first round and names the key at fault.
@Suite(.disabled(if: FleetFixtures.flowerUnavailable != nil, "\(FleetFixtures.flowerUnavailable ?? "")"))
struct StrategyConfigTests {
    /// The error `strategies.check` raises for a run configuration, or "ok: NAME n f".
    static func check(_ config: String) throws -> String {
        let script = """
            import sys
            sys.path.insert(0, sys.argv[1])
            from coinsentry_fleet import strategies
            try:
                print("ok:", *strategies.check(\(config)))
            except strategies.ConfigError as error:
                print(error)
            """
        return try Shell.run(["\(FleetFixtures.venv)/bin/python", "-c", script, "\(FleetFixtures.root)/fleet"])
    }

    @Test func bulyanNeedsFourFPlusThreeParticipants() throws {
        let message = try Self.check("{'strategy': 'Bulyan', 'min-nodes': 10, 'num-malicious': 3}")
        #expect(message.contains("'num-malicious' = 3") && message.contains("n ≥ 4f + 3"))
        #expect(message.contains("at most f = 1"))
        #expect(try Self.check("{'strategy': 'bulyan', 'min-nodes': 11, 'num-malicious': 2}").hasPrefix("ok: Bulyan"))
    }

    @Test func krumNeedsMoreThanTwoFPlusTwo() throws {
        #expect(try Self.check("{'strategy': 'Krum', 'min-nodes': 6, 'num-malicious': 2}").contains("n > 2f + 2"))
        #expect(try Self.check("{'strategy': 'MultiKrum', 'min-nodes': 7, 'num-malicious': 2}").hasPrefix("ok"))
    }

    @Test func unknownStrategyAndBadTrimAreNamed() throws {
        #expect(try Self.check("{'strategy': 'FedFoo', 'min-nodes': 3}").contains("run config 'strategy'"))
        let trim = try Self.check("{'strategy': 'FedTrimmedAvg', 'min-nodes': 3, 'trimmed-beta': 0.5}")
        #expect(trim.contains("'trimmed-beta'"))
    }
}
