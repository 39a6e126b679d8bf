import Randomness

/// A classification tree (CART: binary splits on one feature minimising the Gini impurity), stored as a flat list
/// of nodes; node 0 is the root.
public struct DecisionTree: Codable, Sendable {
    /// A split (`feature` at least 0: `x[feature] <= threshold` goes to `left`) or a leaf (`feature` -1, the class
    /// shares of its training examples in `distribution`).
    public struct Node: Codable, Sendable {
        public var feature: Int
        public var threshold: Double
        public var left: Int
        public var right: Int
        public var distribution: [Double]

        enum CodingKeys: String, CodingKey {
            case feature = "f", threshold = "t", left = "l", right = "r", distribution = "p"
        }
    }

    public var nodes: [Node]

    /// Growth limits.
    public struct Options: Sendable {
        public var maxDepth = 14
        /// Fewest examples in a leaf.
        public var minLeaf = 2
        /// Features tried at each split (chosen at random), all when nil.
        public var featuresPerSplit: Int?
        public init() {}
    }

    /// The class shares of the leaf `features` falls in.
    public func distribution(_ features: [Double]) -> [Double] {
        var node = 0
        while nodes[node].feature >= 0 {
            node = features[nodes[node].feature] <= nodes[node].threshold ? nodes[node].left : nodes[node].right
        }
        return nodes[node].distribution
    }

    /// Grows a tree on the examples `sample` indexes into `x` and `y` (repeats allowed, as in a bootstrap sample).
    static func grow(x: [[Double]], y: [Int], sample: [Int], classes: Int, options: Options,
                     generator: inout SplitMix64) -> DecisionTree {
        let width = x.first?.count ?? 0
        let tried = min(width, max(1, options.featuresPerSplit ?? width))
        var nodes = [Node]()
        // Nodes still to grow: their index in `nodes`, their examples and depth.
        var pending = [(node: Int, members: [Int], depth: Int)]()
        func leaf(_ members: [Int]) -> Node {
            var counts = [Double](repeating: 0, count: classes)
            for member in members { counts[y[member]] += 1 }
            return Node(feature: -1, threshold: 0, left: -1, right: -1,
                        distribution: counts.map { $0 / Double(max(members.count, 1)) })
        }
        nodes.append(leaf(sample))
        pending.append((0, sample, 0))
        var columns = Array(0..<width)
        while let (node, members, depth) = pending.popLast() {
            guard depth < options.maxDepth, members.count >= 2 * options.minLeaf,
                  Set(members.lazy.map { y[$0] }).count > 1 else { continue }
            columns.shuffle(using: &generator)
            guard let split = bestSplit(x: x, y: y, members: members, classes: classes,
                                        columns: columns.prefix(tried), minLeaf: options.minLeaf) else { continue }
            let left = members.filter { x[$0][split.feature] <= split.threshold }
            let right = members.filter { x[$0][split.feature] > split.threshold }
            // A midpoint rounded onto one of two adjacent values can leave a side empty.
            guard !left.isEmpty, !right.isEmpty else { continue }
            let leftIndex = nodes.count
            nodes.append(leaf(left))
            nodes.append(leaf(right))
            nodes[node] = Node(feature: split.feature, threshold: split.threshold, left: leftIndex,
                               right: leftIndex + 1, distribution: [])
            pending.append((leftIndex, left, depth + 1))
            pending.append((leftIndex + 1, right, depth + 1))
        }
        return DecisionTree(nodes: nodes)
    }

    /// The split of `members` over `columns` with the lowest weighted Gini impurity, nil when none lowers it.
    private static func bestSplit(x: [[Double]], y: [Int], members: [Int], classes: Int,
                                  columns: ArraySlice<Int>, minLeaf: Int) -> (feature: Int, threshold: Double)? {
        let total = Double(members.count)
        var parentCounts = [Double](repeating: 0, count: classes)
        for member in members { parentCounts[y[member]] += 1 }
        let parentSquares = parentCounts.reduce(0) { $0 + $1 * $1 }
        // Impurity times the example count: n - sum(count^2) / n, summed over both sides.
        var best = total - parentSquares / total - 1e-9
        var result: (feature: Int, threshold: Double)?
        for column in columns {
            let sorted = members.sorted { x[$0][column] < x[$1][column] }
            var leftCounts = [Double](repeating: 0, count: classes)
            var rightCounts = parentCounts
            var leftSquares = 0.0, rightSquares = parentSquares
            for position in 0..<(sorted.count - 1) {
                let label = y[sorted[position]]
                leftSquares += 2 * leftCounts[label] + 1
                rightSquares -= 2 * rightCounts[label] - 1
                leftCounts[label] += 1
                rightCounts[label] -= 1
                let leftCount = Double(position + 1), rightCount = total - leftCount
                let value = x[sorted[position]][column], next = x[sorted[position + 1]][column]
                guard value < next, position + 1 >= minLeaf, sorted.count - position - 1 >= minLeaf else { continue }
                let impurity = leftCount - leftSquares / leftCount + rightCount - rightSquares / rightCount
                if impurity < best {
                    best = impurity
                    result = (column, (value + next) / 2)
                }
            }
        }
        return result
    }
}
