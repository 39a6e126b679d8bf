import Foundation

/// Relative energy of a Morlet continuous wavelet transform at fixed scales, and the periodogram's peak share, both
/// computed through the FFT.
///
/// Definition, for a window `x[0..<n]` (after the counter transform):
/// - `y = x − mean(x)`, zero-padded to `M`, the smallest power of two ≥ `n`; `Y = FFT_M(y)`.
/// - Angular frequencies `ω_k = 2πk/M` for `k < M/2`, `2π(k − M)/M` from `M/2` up (one interval is the time unit;
///   the Nyquist bin counts as negative, as in `numpy.fft.fftfreq`).
/// - The Morlet wavelet with `ω₀ = 6` in Torrence and Compo's normalisation (unit energy at every scale):
///   `Ψ̂(sω) = √(2πs) · π^(−1/4) · exp(−(sω − ω₀)²/2)` for `ω > 0`, and 0 for `ω ≤ 0`.
/// - The transform `W(s, t) = IFFT_M(Y · Ψ̂(s·ω))[t]`, and its energy `E(s) = Σ_{t<M} |W(s, t)|²`, which by
///   Parseval is `(1/M) Σ_k |Y_k|² |Ψ̂(sω_k)|²` (the form computed here).
/// - The relative energy `r(s) = E(s) / Σ_t y_t²`; 0 when the window is constant. White noise gives `r ≈ 1`; a
///   series whose power sits near the period `≈ 1.03·s` intervals gives more.
/// - The peak share `max_k P_k / Σ_k P_k` with `P_k = |Y_k|²`, `1 ≤ k ≤ M/2`; 0 when the window is constant.
///
/// Two real series share one complex FFT: with `z = y_a + i·y_b` and `Z = FFT_M(z)`,
/// `Y_a[k] = (Z[k] + conj(Z[M−k])) / 2` and `Y_b[k] = (Z[k] − conj(Z[M−k])) / 2i`.
struct MorletScalogram: Sendable {
    /// The Morlet centre frequency.
    static let omega0 = 6.0

    let length: Int
    let scales: [Double]
    private let fft: FFT
    /// `|Ψ̂(s·ω_k)|² / M` for `0 < k < M/2`, laid out `[k * scales.count + scale]` (zero at `k = 0`).
    private let weights: [Double]

    init(length: Int, scales: [Double]) {
        self.length = length
        self.scales = scales
        var size = 2
        while size < length { size *= 2 }
        fft = FFT(size: size)
        let m = size
        var weights = [Double](repeating: 0, count: (m / 2) * scales.count)
        for k in 1..<(m / 2) {
            let omega = 2 * Double.pi * Double(k) / Double(m)
            for (index, scale) in scales.enumerated() {
                let psi = (2 * Double.pi * scale).squareRoot() * pow(Double.pi, -0.25)
                    * exp(-(scale * omega - Self.omega0) * (scale * omega - Self.omega0) / 2)
                weights[k * scales.count + index] = psi * psi / Double(m)
            }
        }
        self.weights = weights
    }

    /// The FFT size `M`.
    var transformSize: Int { fft.size }

    /// Values written per series by `spectra`: `r(s)` for every scale, then the peak share.
    var outputsPerSeries: Int { scales.count + 1 }

    /// Writes `r(s)` for every scale and then the peak share of two series (each `length` long) into `outputA` and
    /// `outputB` (`outputsPerSeries` values each); `real`/`imag` are scratch of `transformSize` values each.
    func spectra(
        _ a: UnsafeBufferPointer<Double>, meanA: Double, _ b: UnsafeBufferPointer<Double>, meanB: Double,
        real: UnsafeMutableBufferPointer<Double>, imag: UnsafeMutableBufferPointer<Double>,
        outputA: UnsafeMutableBufferPointer<Double>, outputB: UnsafeMutableBufferPointer<Double>
    ) {
        let m = fft.size
        var totalA = 0.0, totalB = 0.0
        for index in 0..<length {
            let ca = a[index] - meanA, cb = b[index] - meanB
            real[index] = ca
            imag[index] = cb
            totalA += ca * ca
            totalB += cb * cb
        }
        for index in length..<m {
            real[index] = 0
            imag[index] = 0
        }
        for index in 0..<outputsPerSeries {
            outputA[index] = 0
            outputB[index] = 0
        }
        guard totalA > 0 || totalB > 0 else { return }
        fft.transform(real: real, imag: imag)
        let count = scales.count
        var peakA = 0.0, peakB = 0.0, sumA = 0.0, sumB = 0.0
        weights.withUnsafeBufferPointer { weights in
            for k in 1...(m / 2) {
                let j = m - k
                let ar = real[k] + real[j], ai = imag[k] - imag[j]
                let br = imag[k] + imag[j], bi = real[k] - real[j]
                let powerA = 0.25 * (ar * ar + ai * ai)
                let powerB = 0.25 * (br * br + bi * bi)
                sumA += powerA
                sumB += powerB
                peakA = max(peakA, powerA)
                peakB = max(peakB, powerB)
                guard k < m / 2 else { continue }
                for scale in 0..<count {
                    let weight = weights[k * count + scale]
                    outputA[scale] += powerA * weight
                    outputB[scale] += powerB * weight
                }
            }
        }
        for scale in 0..<count {
            outputA[scale] = totalA > 0 ? outputA[scale] / totalA : 0
            outputB[scale] = totalB > 0 ? outputB[scale] / totalB : 0
        }
        outputA[count] = totalA > 0 && sumA > 0 ? peakA / sumA : 0
        outputB[count] = totalB > 0 && sumB > 0 ? peakB / sumB : 0
    }
}
