import Foundation

/// Running per-address aggregates, updated one transaction at a time in chain order.
public struct AddressAccumulator: Codable, Sendable, Equatable {
    /// Transactions touching the address (as receiver, spender or both).
    public var transactions = 0
    /// Transactions paying the address.
    public var receivingTransactions = 0
    /// Transactions spending from the address.
    public var sendingTransactions = 0
    /// Outputs received.
    public var outputsReceived = 0
    /// Outputs received whose value is a multiple of 0.001 BTC.
    public var roundOutputsReceived = 0
    /// Satoshis received.
    public var received: Int64 = 0
    /// Satoshis sent (spent outputs of the address).
    public var sent: Int64 = 0
    /// First and last block time seen.
    public var firstSeen = 0, lastSeen = 0
    /// Welford running mean and sum of squared deviations of the seconds between successive transactions.
    public var gapCount = 0, gapMean = 0.0, gapM2 = 0.0
    /// Sum over receiving transactions of their input counts (fan-in).
    public var fanInSum = 0
    /// Sum over sending transactions of their output counts (fan-out).
    public var fanOutSum = 0
    /// Receiving transactions that were coinbases.
    public var coinbaseReceipts = 0
    /// Sending transactions that paid change back to one of their input addresses.
    public var selfChangeSends = 0
    /// Received outputs that look like change: the non-round output of a two-output transaction whose other output
    /// is round, paid to an address first seen in that transaction.
    public var likelyChangeReceipts = 0
    /// Sending transactions whose outputs all have the same value (at least three): mixing rounds.
    public var equalValueSends = 0
}

/// Features of an address for the behaviour classifier, in ``AddressFeatures/names`` order.
public enum AddressFeatures {
    /// Feature names, in vector order.
    public static let names = [
        "log_transactions", "receive_share", "log_received_btc", "log_sent_btc", "log_balance_btc",
        "log_lifetime_days", "log_activity_per_day", "log_mean_gap_hours", "gap_cv", "log_mean_fan_in",
        "log_mean_fan_out", "round_share", "reuse", "log_cluster_size", "coinbase_share", "self_change_share",
        "likely_change_share", "equal_value_share",
    ]

    /// The feature vector of an accumulator and its co-spending cluster size.
    public static func vector(_ a: AddressAccumulator, clusterSize: Int) -> [Double] {
        let btc = 100_000_000.0
        let transactions = Double(max(a.transactions, 1))
        let lifetime = Double(max(a.lastSeen - a.firstSeen, 0))
        let days = max(lifetime / 86_400, 1.0 / 24)
        let gapStd = a.gapCount > 1 ? (a.gapM2 / Double(a.gapCount - 1)).squareRoot() : 0
        let receiving = Double(max(a.receivingTransactions, 1))
        let sending = Double(max(a.sendingTransactions, 1))
        return [
            log1p(Double(a.transactions)),
            Double(a.receivingTransactions) / transactions,
            log1p(Double(a.received) / btc),
            log1p(Double(a.sent) / btc),
            log1p(max(0, Double(a.received - a.sent)) / btc),
            log1p(lifetime / 86_400),
            log1p(Double(a.transactions) / days),
            log1p(a.gapMean / 3_600),
            a.gapMean > 0 ? gapStd / a.gapMean : 0,
            log1p(Double(a.fanInSum) / receiving),
            log1p(Double(a.fanOutSum) / sending),
            Double(a.roundOutputsReceived) / Double(max(a.outputsReceived, 1)),
            a.outputsReceived > 1 ? 1 : 0,
            log1p(Double(clusterSize)),
            Double(a.coinbaseReceipts) / receiving,
            Double(a.selfChangeSends) / sending,
            Double(a.likelyChangeReceipts) / Double(max(a.outputsReceived, 1)),
            Double(a.equalValueSends) / sending,
        ]
    }
}
