import Foundation
import Testing
import TestSupport

@testable import Fleet

@Suite struct NpyFileTests {
    @Test func float64MatrixRoundTripsThroughItsOwnEncoding() throws {
        let array = NpyArray(rows: [[1, -2.5, 3e-300], [.pi, 0, -0.0]])
        let decoded = try NpyFile.decode(NpyFile.encode(array))
        #expect(decoded == array)
        #expect(NpyFile.encode(array).count % 64 == 128 % 64 + 48 % 64 - 48 % 64)
    }

    @Test func headerIsPaddedToSixtyFourBytes() {
        let data = NpyFile.encode(NpyArray(vector: [1, 2, 3], elementType: .float32))
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        #expect(data[10 + headerLength - 1] == UInt8(ascii: "\n"))
    }

    @Test func fortranOrderAndBigEndianAreRefusedWithTheReason() {
        var header = "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }"
        header += String(repeating: " ", count: 64 - (10 + header.utf8.count + 1) % 64) + "\n"
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(header.utf8.count), 0])
        data.append(contentsOf: Array(header.utf8) + [UInt8](repeating: 0, count: 8))
        #expect(throws: NpyError.self) { try NpyFile.decode(data) }
        let fortran = Data(String(decoding: data, as: UTF8.self).utf8)
        _ = fortran
        let text = String(decoding: NpyFile.encode(NpyArray(rows: [[1, 2], [3, 4]])), as: UTF8.self)
            .replacingOccurrences(of: "'fortran_order': False", with: "'fortran_order': True ")
        #expect(throws: NpyError.self) { try NpyFile.decode(Data(text.utf8)) }
    }
}
