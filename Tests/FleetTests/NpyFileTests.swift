import Foundation
import Testing
import TestSupport

@testable import Fleet

/// `.npy` files: our own round trip, numpy's reading of ours and our reading of numpy's, refusals with reasons.
@Suite struct NpyFileTests {
    @Test func float64MatrixRoundTripsThroughItsOwnEncoding() throws {
        let array = NpyArray(rows: [[1, -2.5, 3e-300], [.pi, 0, -0.0]])
        #expect(try NpyFile.decode(NpyFile.encode(array)) == array)
    }

    @Test func versionOneHeaderIsPaddedToSixtyFourBytesAndEndsWithNewline() {
        let data = NpyFile.encode(NpyArray(vector: [1, 2, 3], elementType: .float32))
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        #expect(Array(data[6..<8]) == [1, 0])
        #expect((10 + headerLength) % 64 == 0)
        #expect(data[10 + headerLength - 1] == UInt8(ascii: "\n"))
        #expect(data.count == 10 + headerLength + 3 * 4)
    }

    @Test func bigEndianFortranOrderAndTruncatedFilesAreRefused() {
        let matrix = String(decoding: NpyFile.encode(NpyArray(rows: [[1, 2], [3, 4]])), as: UTF8.self)
        for (from, to) in [("'fortran_order': False", "'fortran_order': True "), ("'<f8'", "'>f8'"),
                           ("'<f8'", "'<i8'")] {
            let altered = Data(matrix.replacingOccurrences(of: from, with: to).utf8)
            #expect(throws: NpyError.self) { try NpyFile.decode(altered) }
        }
        let whole = NpyFile.encode(NpyArray(vector: [1, 2, 3]))
        #expect(throws: NpyError.self) { try NpyFile.decode(whole.dropLast(1)) }
        #expect(throws: NpyError.self) { try NpyFile.decode(Data("not numpy".utf8)) }
    }

    @Test(.disabled(if: FleetFixtures.numpyUnavailable != nil, "\(FleetFixtures.numpyUnavailable ?? "")"))
    func numpyReadsOursAndWeReadNumpys() throws {
        let directory = try FleetFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ours64 = NpyArray(rows: [[1.5, -2, 1e-310], [4, .greatestFiniteMagnitude, -0.25]])
        let ours32 = NpyArray(shape: [2, 2, 2], values: [1, 2, 3, 4, 5, 6, 7, 0.1], elementType: .float32)
        try NpyFile.write(ours64, to: "\(directory)/ours64.npy")
        try NpyFile.write(ours32, to: "\(directory)/ours32.npy")
        let script = """
            import numpy as np, sys
            d = sys.argv[1]
            a = np.load(d + '/ours64.npy'); b = np.load(d + '/ours32.npy')
            assert a.dtype == np.dtype('<f8') and a.shape == (2, 3) and a.flags['C_CONTIGUOUS']
            assert np.array_equal(a, np.array([[1.5, -2, 1e-310], [4, np.finfo('<f8').max, -0.25]]))
            assert b.dtype == np.dtype('<f4') and b.shape == (2, 2, 2)
            assert np.array_equal(b.ravel(), np.array([1, 2, 3, 4, 5, 6, 7, 0.1], dtype='<f4'))
            np.save(d + '/theirs64.npy', np.arange(12, dtype='<f8').reshape(3, 4) / 7)
            np.save(d + '/theirs32.npy', np.linspace(-1, 1, 5, dtype='<f4'))
            np.save(d + '/scalar.npy', np.float64(2.5))
            np.save(d + '/fortran.npy', np.asfortranarray(np.ones((2, 3))))
            print('ok')
            """
        #expect(try Shell.run(FleetFixtures.python + ["-c", script, directory]).contains("ok"))
        let theirs64 = try NpyFile.read("\(directory)/theirs64.npy")
        #expect(theirs64.shape == [3, 4] && theirs64.elementType == .float64)
        #expect(theirs64.values == (0..<12).map { Double($0) / 7 })
        let theirs32 = try NpyFile.read("\(directory)/theirs32.npy")
        #expect(theirs32.shape == [5] && theirs32.values == [-1, -0.5, 0, 0.5, 1])
        #expect(try NpyFile.read("\(directory)/scalar.npy") == NpyArray(shape: [], values: [2.5]))
        #expect(throws: NpyError.self) { try NpyFile.read("\(directory)/fortran.npy") }
    }
}
