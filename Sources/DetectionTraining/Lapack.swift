import Detection
import CLapack

/// The one wrapper over LAPACK (LAPACKE from liblapacke-dev).
enum Lapack {
    /// A LAPACK routine reported failure.
    struct Failure: Error, CustomStringConvertible {
        var routine: String
        var info: Int32
        var description: String { "\(routine) failed with info \(info)" }
    }

    /// Eigenvalues (ascending) and eigenvectors of a symmetric matrix, through `LAPACKE_dsyevd`.
    ///
    /// - Parameters:
    ///   - matrix: `n × n`, row-major; only the upper triangle is read.
    /// - Returns: the eigenvalues ascending, and the eigenvectors row-major with eigenvector `j` in column `j`.
    static func symmetricEigen(_ matrix: [Double], n: Int) throws -> (values: [Double], vectors: [Double]) {
        precondition(matrix.count == n * n, "matrix must be n × n")
        var vectors = matrix
        var values = [Double](repeating: 0, count: n)
        let info = vectors.withUnsafeMutableBufferPointer { a in
            values.withUnsafeMutableBufferPointer { w in
                LAPACKE_dsyevd(
                    LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")), Int32(n),
                    a.baseAddress, Int32(n), w.baseAddress)
            }
        }
        guard info == 0 else { throw Failure(routine: "LAPACKE_dsyevd", info: info) }
        return (values, vectors)
    }
}
