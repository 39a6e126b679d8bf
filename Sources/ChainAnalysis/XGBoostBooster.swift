import CXGBoost
import Foundation

/// An XGBoost booster (libxgboost's C API): trained on dense rows, predicting margins, saved and loaded as JSON.
/// The only place the library's handles and pointers are touched.
///
/// The C library's prediction buffers belong to the booster and are reused by the next call, so every call on a
/// booster holds its lock.
final class XGBoostBooster: @unchecked Sendable {
    private let handle: BoosterHandle
    private let lock = NSLock()

    /// A booster loaded from the JSON `XGBoosterSaveModelToBuffer` wrote (`XGBoosterCreate`,
    /// `XGBoosterLoadModelFromBuffer`).
    init(json: Data) throws {
        var created: BoosterHandle?
        try Self.check(XGBoosterCreate(nil, 0, &created), "XGBoosterCreate")
        guard let created else { throw ModelError("XGBoosterCreate returned no booster") }
        handle = created
        do {
            try json.withUnsafeBytes { bytes in
                try Self.check(XGBoosterLoadModelFromBuffer(handle, bytes.baseAddress, bst_ulong(bytes.count)),
                               "XGBoosterLoadModelFromBuffer")
            }
        } catch {
            XGBoosterFree(handle)
            throw error
        }
    }

    /// Trains `rounds` rounds on `rows` with class indices `labels` and the given parameters (`XGBoosterSetParam`,
    /// `XGBoosterUpdateOneIter`).
    init(rows: [[Double]], labels: [Int], parameters: [(String, String)], rounds: Int) throws {
        let matrix = try Matrix(rows)
        try matrix.setLabels(labels)
        var created: BoosterHandle?
        var matrices: [DMatrixHandle?] = [matrix.handle]
        try Self.check(XGBoosterCreate(&matrices, 1, &created), "XGBoosterCreate")
        guard let created else { throw ModelError("XGBoosterCreate returned no booster") }
        handle = created
        do {
            for (name, value) in parameters {
                try Self.check(XGBoosterSetParam(handle, name, value), "XGBoosterSetParam \(name)")
            }
            for round in 0..<rounds {
                try Self.check(XGBoosterUpdateOneIter(handle, Int32(round), matrix.handle), "XGBoosterUpdateOneIter")
            }
        } catch {
            XGBoosterFree(handle)
            throw error
        }
    }

    deinit { XGBoosterFree(handle) }

    /// The model as JSON (`XGBoosterSaveModelToBuffer` with format json).
    func json() throws -> Data {
        try lock.withLock {
            var length: bst_ulong = 0
            var bytes: UnsafePointer<CChar>?
            try Self.check(XGBoosterSaveModelToBuffer(handle, #"{"format": "json"}"#, &length, &bytes),
                           "XGBoosterSaveModelToBuffer")
            guard let bytes else { return Data() }
            return Data(bytes: bytes, count: Int(length))
        }
    }

    /// The untransformed margins of each row, `classes` per row (`XGBoosterPredictFromDMatrix`, type 1).
    func margins(_ rows: [[Double]], classes: Int) throws -> [[Double]] {
        let matrix = try Matrix(rows)
        return try lock.withLock {
            var shape: UnsafePointer<bst_ulong>?
            var dimensions: bst_ulong = 0
            var result: UnsafePointer<Float>?
            let config = #"{"type": 1, "training": false, "iteration_begin": 0, "iteration_end": 0, "#
                + #""strict_shape": true}"#
            try Self.check(XGBoosterPredictFromDMatrix(handle, matrix.handle, config, &shape, &dimensions, &result),
                           "XGBoosterPredictFromDMatrix")
            guard let result, rows.count * classes > 0 else { return rows.map { _ in [] } }
            let values = UnsafeBufferPointer(start: result, count: rows.count * classes)
            return (0..<rows.count).map { row in (0..<classes).map { Double(values[row * classes + $0]) } }
        }
    }

    /// A dense matrix of float rows (`XGDMatrixCreateFromMat`), freed with it.
    private final class Matrix {
        let handle: DMatrixHandle

        init(_ rows: [[Double]]) throws {
            let width = rows.first?.count ?? 0
            let values = rows.flatMap { $0.map(Float.init) }
            var created: DMatrixHandle?
            try XGBoostBooster.check(XGDMatrixCreateFromMat(values, bst_ulong(rows.count), bst_ulong(width), .nan,
                                                            &created), "XGDMatrixCreateFromMat")
            guard let created else { throw ModelError("XGDMatrixCreateFromMat returned no matrix") }
            handle = created
        }

        /// Sets the rows' class indices (`XGDMatrixSetFloatInfo` "label").
        func setLabels(_ labels: [Int]) throws {
            let values = labels.map(Float.init)
            try XGBoostBooster.check(XGDMatrixSetFloatInfo(handle, "label", values, bst_ulong(values.count)),
                                     "XGDMatrixSetFloatInfo")
        }

        deinit { XGDMatrixFree(handle) }
    }

    /// Turns a C API status into a thrown error with the library's message (`XGBGetLastError`).
    private static func check(_ status: Int32, _ function: String) throws {
        guard status != 0 else { return }
        let message = XGBGetLastError().map { String(cString: $0) } ?? "no message"
        throw ModelError("\(function) failed: \(message)")
    }
}
