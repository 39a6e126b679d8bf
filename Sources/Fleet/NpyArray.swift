/// A dense numeric array as numpy's `.npy` format stores it: a shape and its elements in C (row-major) order.
///
/// Elements are held as `Double` whatever the file's element type; `elementType` says how they are written.
public struct NpyArray: Hashable, Sendable {
    /// The element types this reader and writer handle: little-endian IEEE floats.
    public enum ElementType: String, Hashable, Sendable {
        /// `<f4`: 32-bit float.
        case float32 = "<f4"
        /// `<f8`: 64-bit float.
        case float64 = "<f8"

        /// Bytes per element.
        public var byteCount: Int { self == .float32 ? 4 : 8 }
    }

    /// The dimensions; `[]` is a scalar (one element).
    public var shape: [Int]
    /// The elements in C order; `values.count` is the product of `shape`.
    public var values: [Double]
    /// The element type in the file.
    public var elementType: ElementType

    /// Creates an array; `values.count` must equal the product of `shape`.
    public init(shape: [Int], values: [Double], elementType: ElementType = .float64) {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == values.count,
                     "shape \(shape) does not hold \(values.count) values")
        self.shape = shape
        self.values = values
        self.elementType = elementType
    }

    /// A one-dimensional array.
    public init(vector: [Double], elementType: ElementType = .float64) {
        self.init(shape: [vector.count], values: vector, elementType: elementType)
    }

    /// A two-dimensional array from rows of equal length (`[0, 0]` when there is no row).
    public init(rows: [[Double]], elementType: ElementType = .float64) {
        let width = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == width }, "rows of unequal length")
        self.init(shape: [rows.count, width], values: rows.flatMap { $0 }, elementType: elementType)
    }

    /// The rows of a two-dimensional array.
    ///
    /// - Throws: `NpyError.shape` when the array is not two-dimensional.
    public func rows() throws(NpyError) -> [[Double]] {
        guard shape.count == 2 else { throw .shape("expected a 2-D array, found shape \(shape)") }
        let width = shape[1]
        return (0..<shape[0]).map { Array(values[($0 * width)..<(($0 + 1) * width)]) }
    }
}
