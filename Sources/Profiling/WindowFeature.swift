/// One feature of one counter series over one window. For a window `x[0..<n]` (counts after the settings'
/// `CounterScale`), definitions match numpy's on the same values:
public enum WindowFeature: String, CaseIterable, Sendable {
    /// `Σ x / n`.
    case mean
    /// The middle value of the sorted window; the average of the two middle values when `n` is even.
    case median
    /// Population standard deviation: `√(Σ (x − mean)² / n)`.
    case std
    /// The 75th percentile by linear interpolation between order statistics (numpy's default): with the sorted
    /// window `v` and `h = (n − 1)·q`, `v[⌊h⌋] + (h − ⌊h⌋)·(v[⌊h⌋+1] − v[⌊h⌋])`.
    case p75
    /// The 90th percentile, as `p75`.
    case p90
    /// The 95th percentile, as `p75`.
    case p95
    /// Mean length, in intervals, of the silences: maximal runs of consecutive zero intervals, leaving out a run that
    /// touches either edge of the window (it was cut by the edge). 0 when no run qualifies.
    case silenceMean
    /// Population variance of the same run lengths. 0 when no run qualifies.
    case silenceVar
    /// Relative energy of the Morlet CWT (ω₀ = 6) at scale 2 intervals; see `MorletScalogram` for the definition.
    case scalogram2
    /// The same at scale 4 intervals.
    case scalogram4
    /// Share of the strongest frequency in the periodogram: with `Y = FFT_M(y)` as in `MorletScalogram` (the
    /// centred window zero-padded to `M`) and `P_k = |Y_k|²` for `1 ≤ k ≤ M/2`, `max_k P_k / Σ_k P_k`. Near 1 for
    /// a series dominated by one period, near `2/M` for white noise; 0 when the window is constant.
    case spectralPeak

    /// The wavelet scales, in intervals, of the scalogram features in their order.
    static let scales: [Double] = [2, 4]
}
