import Foundation

/// An in-place iterative radix-2 complex FFT of one fixed power-of-two size, twiddles computed once.
///
/// Forward transform, no scaling: `X[k] = Σ_t x[t]·exp(−2πi·k·t/n)`, as `numpy.fft.fft`.
struct FFT: Sendable {
    let size: Int
    private let cosines: [Double]
    private let sines: [Double]
    private let bitReversed: [Int]

    /// - Parameter size: a power of two, at least 2.
    init(size: Int) {
        precondition(size >= 2 && size & (size - 1) == 0, "FFT size must be a power of two")
        self.size = size
        cosines = (0..<(size / 2)).map { cos(-2 * Double.pi * Double($0) / Double(size)) }
        sines = (0..<(size / 2)).map { sin(-2 * Double.pi * Double($0) / Double(size)) }
        let bits = size.trailingZeroBitCount
        bitReversed = (0..<size).map { index in
            var reversed = 0
            for bit in 0..<bits where index & (1 << bit) != 0 { reversed |= 1 << (bits - 1 - bit) }
            return reversed
        }
    }

    /// Transforms `real` and `imag` (each `size` long) in place.
    func transform(real: UnsafeMutableBufferPointer<Double>, imag: UnsafeMutableBufferPointer<Double>) {
        for index in 0..<size {
            let other = bitReversed[index]
            if other > index {
                real.swapAt(index, other)
                imag.swapAt(index, other)
            }
        }
        cosines.withUnsafeBufferPointer { cosines in
            sines.withUnsafeBufferPointer { sines in
                var half = 1
                while half < size {
                    let step = size / (half * 2)
                    var start = 0
                    while start < size {
                        for offset in 0..<half {
                            let wr = cosines[offset * step], wi = sines[offset * step]
                            let a = start + offset, b = a + half
                            let tr = wr * real[b] - wi * imag[b]
                            let ti = wr * imag[b] + wi * real[b]
                            real[b] = real[a] - tr
                            imag[b] = imag[a] - ti
                            real[a] += tr
                            imag[a] += ti
                        }
                        start += half * 2
                    }
                    half *= 2
                }
            }
        }
    }
}
