/// One feature of a host's whole window, across its four counter series. For a window of `n` intervals with raw
/// counts (before any `CounterScale`) `br`, `bs` (bytes received, sent) and `pr`, `ps` (packets received, sent),
/// and `p = pr + ps`; an interval is *active* when `p > 0`. Definitions match numpy's on the same values:
public enum HostFeature: String, CaseIterable, Sendable {
    /// Share of active intervals: `#{t : p_t > 0} / n`.
    case activeShare
    /// Share of intervals with packets in both directions: `#{t : pr_t > 0 and ps_t > 0} / n`.
    case bothActiveShare
    /// Coefficient of variation of the gaps between successive active intervals: with active indices
    /// `t_1 < … < t_m` and gaps `g_i = t_{i+1} − t_i`, population `std(g) / mean(g)`; 0 when `m < 3`.
    case activeGapCV
    /// Burstiness of the packet series: `max(p) / mean(p)`; 0 when `p` is all zero.
    case packetBurstiness
    /// Lag-1 autocorrelation of the packet series: `Σ_{t<n−1} (p_t − p̄)(p_{t+1} − p̄) / Σ_t (p_t − p̄)²`; 0 when
    /// `p` is constant.
    case packetAutocorrelation1
    /// Mean bytes per received packet: `Σ br / Σ pr`; 0 when `Σ pr = 0`.
    case bytesPerPacketReceived
    /// Mean bytes per sent packet: `Σ bs / Σ ps`; 0 when `Σ ps = 0`.
    case bytesPerPacketSent
    /// Share of the bytes that were sent: `Σ bs / (Σ br + Σ bs)`; 0 when both sums are 0.
    case sentByteShare
    /// Share of the packets that were sent: `Σ ps / (Σ pr + Σ ps)`; 0 when both sums are 0.
    case sentPacketShare
}
