import ChainAnalysis
import Foundation
import Randomness

/// A seeded pseudo-random generator (xoshiro256**, state filled by SplitMix64) so that a testbed run with a given
/// seed is reproducible byte for byte.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var mix = SplitMix64(seed: seed)
        state = (mix.next(), mix.next(), mix.next(), mix.next())
    }

    public mutating func next() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = state.3 << 45 | state.3 >> 19
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// An exponential variate with the given mean.
    public mutating func exponential(mean: Double) -> Double { -mean * log(1 - unit()) }

    /// A standard normal variate (Box–Muller).
    public mutating func normal() -> Double {
        let radius = (-2 * log(1 - unit())).squareRoot()
        return radius * cos(2 * Double.pi * unit())
    }

    /// Whether an event of probability `probability` happens.
    public mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// A Poisson variate with the given mean (Knuth's product method; means here are small).
    public mutating func poisson(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        let limit = exp(-min(mean, 50))
        var count = 0
        var product = unit()
        while product > limit {
            count += 1
            product *= unit()
        }
        return count
    }

    /// 32 random bytes.
    public mutating func bytes32() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for _ in 0..<4 {
            let word = next()
            for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return out
    }
}
