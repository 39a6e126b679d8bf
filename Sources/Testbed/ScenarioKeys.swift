/// The keys each table of a scenario may hold, for rejecting misspelt ones.
enum ScenarioKeys {
    static let scenario = Set(Scenario.CodingKeys.allCases.map(\.stringValue))
    static let random = Set(RandomPopulationSpec.CodingKeys.allCases.map(\.stringValue))
    static let actor = Set(ActorSpec.CodingKeys.allCases.map(\.stringValue))
    static let amount = Set(AmountDistribution.CodingKeys.allCases.map(\.stringValue))

    /// The first key (in sorted order, table by table) that no scenario type knows, with the coding path of the
    /// table holding it; nil when every key is known.
    static func firstUnknownKey(json: Any) -> (String, [any CodingKey])? {
        guard let root = json as? [String: Any] else { return nil }
        if let found = unknown(in: root, allowed: scenario, path: []) { return found }
        if let random = root["random"] as? [String: Any] {
            if let found = unknown(in: random, allowed: Self.random, path: [ArrayKey("random")]) { return found }
            if let amount = random["amount"] as? [String: Any],
               let found = unknown(in: amount, allowed: Self.amount, path: [ArrayKey("random"), ArrayKey("amount")]) {
                return found
            }
        }
        for (index, item) in ((root["actors"] as? [Any]) ?? []).enumerated() {
            guard let table = item as? [String: Any] else { continue }
            let path: [any CodingKey] = [ArrayKey("actors"), ArrayKey(index: index)]
            if let found = unknown(in: table, allowed: actor, path: path) { return found }
            if let amount = table["amount"] as? [String: Any],
               let found = unknown(in: amount, allowed: Self.amount, path: path + [ArrayKey("amount")]) {
                return found
            }
        }
        return nil
    }

    private static func unknown(in table: [String: Any], allowed: Set<String>,
                                path: [any CodingKey]) -> (String, [any CodingKey])? {
        table.keys.sorted().first { !allowed.contains($0) }.map { ($0, path) }
    }
}
