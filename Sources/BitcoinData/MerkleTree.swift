/// Bitcoin's merkle tree over transaction ids (the last node of an odd level is paired with itself).
public enum MerkleTree {
    /// The merkle root of `leaves`; ``Hash256/zero`` for no leaves.
    public static func root(_ leaves: [Hash256]) -> Hash256 {
        guard !leaves.isEmpty else { return .zero }
        var level = leaves
        var pair = [UInt8](repeating: 0, count: 64)
        while level.count > 1 {
            var next = [Hash256]()
            next.reserveCapacity((level.count + 1) / 2)
            for index in stride(from: 0, to: level.count, by: 2) {
                let left = level[index]
                let right = index + 1 < level.count ? level[index + 1] : left
                pair.replaceSubrange(0..<32, with: left.bytes)
                pair.replaceSubrange(32..<64, with: right.bytes)
                next.append(Hashing.hash256(pair))
            }
            level = next
        }
        return level[0]
    }
}
