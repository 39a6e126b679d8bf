import ChainAnalysis
import ChainStore
import Control

extension AddressReport {
    /// The report on `address` from what the store holds (`history`) and the analysis over it: features and
    /// co-spending cluster from `index`, the class when a classifier is given, the patterns it is a member of. Nil
    /// when neither the store lists an output under the address nor the feature index knows it.
    public static func make(address: String, history: AddressHistory?, index: inout AddressFeatureIndex,
                            classifier: AddressClassifier?, patterns: [RecurringPatternDetector.Pattern],
                            watched: Bool) -> AddressReport? {
        let features = index.features(address)
        guard features != nil || history != nil else { return nil }
        let named = Dictionary(uniqueKeysWithValues: zip(AddressFeatures.names, features ?? []))
        var report = AddressReport(address: address, watched: watched, features: named)
        if features != nil {
            report.clusterSize = index.clusterSize(address)
            if let result = classifier?.classify([address], index: &index).first, result.label != nil {
                report.behaviourClass = result.label
                report.confidence = result.confidence
                report.probabilities = result.probabilities
                report.caveats = result.caveats.isEmpty ? nil : result.caveats.map(\.rawValue)
            }
        }
        report.history = history.map(History.init)
        report.patterns = patterns.filter { $0.members.contains(address) }.map(PatternList.Pattern.init)
        return report
    }
}

extension AddressReport.History {
    /// The reply's form of a stored history.
    public init(_ history: AddressHistory) {
        self.init(received: history.received, sent: history.sent, balance: history.balance, outputs: history.outputs,
                  unspentOutputs: history.unspentOutputs, sharedOutputs: history.sharedOutputs,
                  transactions: history.entries.map {
                      Transaction(txid: $0.txid.hex, height: $0.height, time: $0.time, received: $0.received,
                                  sent: $0.sent)
                  })
    }
}

extension PatternList.Pattern {
    /// The reply's form of a detected pattern.
    public init(_ pattern: RecurringPatternDetector.Pattern) {
        self.init(members: pattern.members, occurrences: pattern.occurrences, firstSeen: pattern.firstSeen,
                  lastSeen: pattern.lastSeen)
    }
}
