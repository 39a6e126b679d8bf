/// RIPEMD-160 (Dobbertin, Bosselaers, Preneel 1996), needed for Bitcoin's HASH160 = RIPEMD160(SHA256(x)).
///
/// Written here because swift-crypto (the project's hash provider) does not offer RIPEMD-160 and no other package
/// available to the project does; it is tested against the published test vectors of the algorithm's authors.
public enum RIPEMD160 {
    private static let leftWord: [Int] = [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
        3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12,
        1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
        4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13,
    ]
    private static let rightWord: [Int] = [
        5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12,
        6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
        15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13,
        8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
        12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11,
    ]
    private static let leftShift: [UInt32] = [
        11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8,
        7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
        11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5,
        11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
        9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6,
    ]
    private static let rightShift: [UInt32] = [
        8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6,
        9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
        9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5,
        15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
        8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11,
    ]
    private static let leftConstant: [UInt32] = [0x0000_0000, 0x5a82_7999, 0x6ed9_eba1, 0x8f1b_bcdc, 0xa953_fd4e]
    private static let rightConstant: [UInt32] = [0x50a2_8be6, 0x5c4d_d124, 0x6d70_3ef3, 0x7a6d_76e9, 0x0000_0000]

    /// The 20-byte RIPEMD-160 digest of `message`.
    public static func hash<C: Collection>(_ message: C) -> [UInt8] where C.Element == UInt8 {
        var state: [UInt32] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476, 0xc3d2_e1f0]
        var padded = Array(message)
        let bitLength = UInt64(padded.count) &* 8
        padded.append(0x80)
        while padded.count % 64 != 56 { padded.append(0) }
        for index in 0..<8 { padded.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(index)))) }
        var block = [UInt32](repeating: 0, count: 16)
        for chunk in stride(from: 0, to: padded.count, by: 64) {
            for index in 0..<16 {
                let base = chunk + 4 * index
                block[index] = UInt32(padded[base]) | UInt32(padded[base + 1]) << 8
                    | UInt32(padded[base + 2]) << 16 | UInt32(padded[base + 3]) << 24
            }
            compress(&state, block)
        }
        var digest = [UInt8]()
        digest.reserveCapacity(20)
        for word in state {
            for index in 0..<4 { digest.append(UInt8(truncatingIfNeeded: word >> (8 * UInt32(index)))) }
        }
        return digest
    }

    /// The round function f_j of the specification, for round group `group` (0...4).
    private static func boolean(_ group: Int, _ x: UInt32, _ y: UInt32, _ z: UInt32) -> UInt32 {
        switch group {
        case 0: x ^ y ^ z
        case 1: (x & y) | (~x & z)
        case 2: (x | ~y) ^ z
        case 3: (x & z) | (y & ~z)
        default: x ^ (y | ~z)
        }
    }

    private static func rotl(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value << count) | (value >> (32 - count))
    }

    private static func compress(_ state: inout [UInt32], _ block: [UInt32]) {
        var (al, bl, cl, dl, el) = (state[0], state[1], state[2], state[3], state[4])
        var (ar, br, cr, dr, er) = (state[0], state[1], state[2], state[3], state[4])
        for step in 0..<80 {
            let group = step / 16
            var t = rotl(al &+ boolean(group, bl, cl, dl) &+ block[leftWord[step]] &+ leftConstant[group],
                         leftShift[step]) &+ el
            (al, el, dl, cl, bl) = (el, dl, rotl(cl, 10), bl, t)
            // The right line runs the boolean functions in reverse order.
            t = rotl(ar &+ boolean(4 - group, br, cr, dr) &+ block[rightWord[step]] &+ rightConstant[group],
                     rightShift[step]) &+ er
            (ar, er, dr, cr, br) = (er, dr, rotl(cr, 10), br, t)
        }
        let t = state[1] &+ cl &+ dr
        state[1] = state[2] &+ dl &+ er
        state[2] = state[3] &+ el &+ ar
        state[3] = state[4] &+ al &+ br
        state[4] = state[0] &+ bl &+ cr
        state[0] = t
    }
}
