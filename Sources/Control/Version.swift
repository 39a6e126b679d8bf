/// The CoinSentry release every executable reports (`--version`) and the daemons put in `status`.
public enum CoinSentryVersion {
    public static let current = "0.9.0"
}
