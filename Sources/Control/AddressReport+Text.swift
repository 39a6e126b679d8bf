import Foundation

extension AddressReport {
    /// The report for people, as `coinsentryctl chain address` and `coinsentry chain address` print it: fields,
    /// class probabilities, balance and transactions, patterns, features.
    public var text: String {
        var sections = [Cell.fields([
            "address": address, "watched": watched, "class": behaviourClass, "confidence": confidence,
            "caveats": caveats?.joined(separator: ", "),
            "cluster size": clusterSize, "balance (sat)": history?.balance, "received (sat)": history?.received,
            "sent (sat)": history?.sent, "outputs": history.map { "\($0.outputs) (\($0.unspentOutputs) unspent)" },
            "shared outputs": history?.sharedOutputs,
        ])]
        let classes = (probabilities ?? [:]).sorted { $0.value > $1.value }
        if !classes.isEmpty {
            sections.append(TextTable.render(header: ["CLASS", "PROBABILITY"],
                                             rows: classes.map { [$0.key, $0.value.cell] }))
        }
        if let transactions = history?.transactions, !transactions.isEmpty {
            sections.append(TextTable.render(
                header: ["HEIGHT", "TIME", "TXID", "RECEIVED (SAT)", "SENT (SAT)"],
                rows: transactions.map { [String($0.height), Cell.blockTime($0.time), $0.txid, $0.received.cell,
                                          $0.sent.cell] }))
        }
        if let patterns, !patterns.isEmpty {
            sections.append(TextTable.render(
                header: ["PATTERN OCCURRENCES", "MEMBERS", "FIRST SEEN", "LAST SEEN"],
                rows: patterns.map { [$0.occurrences.cell, String($0.members.count), Cell.blockTime($0.firstSeen),
                                      Cell.blockTime($0.lastSeen)] }))
        }
        let features = features.sorted { $0.key < $1.key }
        if !features.isEmpty {
            sections.append(TextTable.render(header: ["FEATURE", "VALUE"],
                                             rows: features.map { [$0.key, $0.value.cell] }))
        }
        return sections.joined(separator: "\n\n")
    }
}
