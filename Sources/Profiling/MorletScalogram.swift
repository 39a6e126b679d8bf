import Foundation

/// Relative energy of a Morlet continuous wavelet transform at fixed scales, computed through the FFT.
///
/// Definition, for a window `x[0..<n]` (after the counter transform):
/// - `y = x − mean(x)`, zero-padded to `M`, the smallest power of two ≥ `n`; `Y = FFT_M(y)`.
/// - Angular frequencies `ω_k = 2πk/M` for `k < M/2`, `2π(k − M)/M` from `M/2` up (one interval is the time unit;
///   the Nyquist bin counts as negative, as in `numpy.fft.fftfreq`).
/// - The Morlet wavelet with `ω₀ = 6` in Torrence and Compo's normalisation (unit energy at every scale):
///   `Ψ̂(sω) = √(2πs) · π^(−1/4) · exp(−(sω − ω₀)²/2)` for `ω > 0`, and 0 for `ω ≤ 0`.
/// - The transform `W(s, t) = IFFT_M(Y · Ψ̂(s·ω))[t]`, and its energy `E(s) = Σ_{t<M} |W(s, t)|²`, which by
///   Parseval is `(1/M) Σ_k |Y_k|² |Ψ̂(sω_k)|²` (the form computed here: one forward FFT per series).
/// - The relative energy `r(s) = E(s) / Σ_t y_t²`; 0 when the window is constant. White noise gives `r ≈ 1`; a
///   series whose power sits near the period `≈ 1.03·s` intervals gives more.
struct MorletScalogram: Sendable {
    /// The Morlet centre frequency.
    static let omega0 = 6.0

    let length: Int
    let scales: [Double]
    private let fft: FFT
    /// `|Ψ̂(s·ω_k)|² / M` per scale, `M` values each.
    private let weights: [[Double]]

    init(length: Int, scales: [Double]) {
        self.length = length
        self.scales = scales
        var size = 2
        while size < length { size *= 2 }
        fft = FFT(size: size)
        let m = size
        weights = scales.map { scale in
            (0..<m).map { k in
                let omega = 2 * Double.pi * Double(k < m / 2 ? k : k - m) / Double(m)
                guard omega > 0 else { return 0 }
                let psi = (2 * Double.pi * scale).squareRoot() * pow(Double.pi, -0.25)
                    * exp(-(scale * omega - Self.omega0) * (scale * omega - Self.omega0) / 2)
                return psi * psi / Double(m)
            }
        }
    }

    /// The FFT size `M`.
    var transformSize: Int { fft.size }

    /// Writes `r(s)` for every scale into `output`; `real`/`imag` are scratch of `transformSize` values each.
    func relativeEnergies(
        of series: UnsafeBufferPointer<Double>, mean: Double, real: UnsafeMutableBufferPointer<Double>,
        imag: UnsafeMutableBufferPointer<Double>, output: UnsafeMutableBufferPointer<Double>
    ) {
        var total = 0.0
        for index in 0..<fft.size {
            let centred = index < length ? series[index] - mean : 0
            real[index] = centred
            imag[index] = 0
            total += centred * centred
        }
        guard total > 0 else {
            for index in scales.indices { output[index] = 0 }
            return
        }
        fft.transform(real: real, imag: imag)
        for (index, weight) in weights.enumerated() {
            var energy = 0.0
            weight.withUnsafeBufferPointer { weight in
                for k in 0..<fft.size where weight[k] > 0 {
                    energy += (real[k] * real[k] + imag[k] * imag[k]) * weight[k]
                }
            }
            output[index] = energy / total
        }
    }
}
