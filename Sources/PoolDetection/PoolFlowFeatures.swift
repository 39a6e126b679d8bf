import Capture
import Detection
import Foundation

/// The features the pool-connection classifier reads from a flow summary, in the model file's order.
///
/// Each says something a miner's connection to its pool does that TLS does not hide: the server pushes jobs
/// unasked at regular-ish intervals with regular sizes; the client sends small requests (shares) that get a quick
/// reply of nearly constant size; the connection lives long with sparse messages. Ratios and deviations are made
/// scale-free (coefficients of variation, logarithms), and a series with too few samples to say anything reads as
/// "irregular" (coefficient 2), never as "perfectly regular".
///
/// Two features say what a miner's client does *not* do: its requests (shares, found when a hash meets the target)
/// do not tick like a clock, as the pings, polls and heartbeats of ordinary clients do (the share of request gaps
/// that repeat the one before); and it does not answer the jobs its pool pushes, as chat, push and mail clients ack
/// or fetch what their servers push (the share of pushes followed by a client message within a second).
public enum PoolFlowFeatures {
    /// Feature names, stored in the model file and checked on load.
    public static let names = [
        "log_age", "push_gap_cv", "push_size_cv", "log_push_gap_mean", "push_per_request", "reply_fraction",
        "reply_size_cv", "request_size_cv", "request_gap_cv", "log_reply_to_request_size",
        "log_messages_per_minute", "log_server_to_client_bytes", "idle_share", "request_gap_repeat_share",
        "answered_push_share",
    ]

    /// Coefficient of variation used when a series has fewer than three samples.
    static let unknownVariation = 2.0

    /// The feature row of `shape`.
    public static func row(_ shape: FlowShape) -> [Double] {
        let minutes = max(shape.age, 1) / 60
        let messages = Double(shape.clientMessages + shape.serverMessages)
        return [
            log1p(shape.age),
            variation(shape.pushGap, samples: shape.pushes - 1),
            variation(shape.pushSize, samples: shape.pushes),
            log1p(shape.pushes >= 2 ? shape.pushGap.mean : 0),
            Double(shape.pushes) / Double(max(shape.requests, 1)),
            Double(shape.replies) / Double(max(shape.requests, 1)),
            variation(shape.replySize, samples: shape.replies),
            variation(shape.requestSize, samples: shape.requests),
            variation(shape.requestGap, samples: shape.requests - 1),
            log((shape.replySize.mean + 1) / (shape.requestSize.mean + 1)),
            log1p(messages / minutes),
            log((Double(shape.serverBytes) + 1) / (Double(shape.clientBytes) + 1)),
            min(1, shape.maxIdle / max(shape.age, 1)),
            share(shape.repeatedRequestGaps, of: shape.requests - 2, atLeast: 1),
            share(shape.answeredPushes, of: shape.pushes, atLeast: 3),
        ]
    }

    /// `row` followed by the squares of its standardised values (`around`, fitted on the training rows). A linear
    /// model over both can favour a middle range of a feature: a pool's ratios (pushes per request, the variation of
    /// Poisson share gaps near 1) lie inside the ordinary protocols' ranges, not beyond one end of them.
    public static func expanded(_ row: [Double], around standardisation: StandardScaler) -> [Double] {
        row + standardisation.transform(row).map { $0 * $0 }
    }

    /// `count` of `total`, or 0 (no sign of a clock, no sign of acks) when there are fewer than `atLeast` samples.
    private static func share(_ count: Int, of total: Int, atLeast minimum: Int) -> Double {
        total >= minimum ? min(1, Double(count) / Double(total)) : 0
    }

    private static func variation(_ series: FlowShape.Series, samples: Int) -> Double {
        guard samples >= 3, series.mean > 0 else { return unknownVariation }
        return min(unknownVariation, series.deviation / series.mean)
    }
}
