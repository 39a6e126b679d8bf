import Foundation

/// Reads and writes numpy's `.npy` format (`numpy.lib.format`): the magic `\x93NUMPY`, a version, a little-endian
/// header length, a Python-literal header dict (`descr`, `fortran_order`, `shape`) padded with spaces to a multiple
/// of 64 bytes and ended by a newline, then the raw elements.
///
/// Written: version 1.0, `<f4` or `<f8`, C order. Read: version 1.0, 2.0 and 3.0 headers, `<f4` or `<f8`, C order;
/// anything else (big-endian, integers, Fortran order, a truncated file) is refused with the reason.
public enum NpyFile {
    private static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
    private static let alignment = 64

    /// Reads an array from a file.
    ///
    /// - Throws: `NpyError.io` or `.format`.
    public static func read(_ path: String) throws(NpyError) -> NpyArray {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .io(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        return try decode(data, path: path)
    }

    /// Writes an array to a file, replacing it atomically.
    ///
    /// - Throws: `NpyError.io`.
    public static func write(_ array: NpyArray, to path: String) throws(NpyError) {
        do {
            try encode(array).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .io(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// The bytes of a version 1.0 `.npy` file holding `array`.
    public static func encode(_ array: NpyArray) -> Data {
        let shape: String
        switch array.shape.count {
        case 0: shape = "()"
        case 1: shape = "(\(array.shape[0]),)"
        default: shape = "(" + array.shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = "{'descr': '\(array.elementType.rawValue)', 'fortran_order': False, 'shape': \(shape), }"
        // magic (6) + version (2) + length (2) + header + newline, padded to the alignment.
        let unpadded = magic.count + 4 + header.utf8.count + 1
        header += String(repeating: " ", count: (alignment - unpadded % alignment) % alignment) + "\n"
        var data = Data(magic)
        data.append(contentsOf: [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        data.reserveCapacity(data.count + array.values.count * array.elementType.byteCount)
        switch array.elementType {
        case .float32:
            for value in array.values {
                withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
        case .float64:
            for value in array.values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
        }
        return data
    }

    /// Decodes the bytes of a `.npy` file (`path` names it in errors).
    ///
    /// - Throws: `NpyError.format`.
    public static func decode(_ data: Data, path: String = "<npy>") throws(NpyError) -> NpyArray {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw .format(path: path, reason: "no \\x93NUMPY magic")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw .format(path: path, reason: "truncated header length") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        default:
            throw .format(path: path, reason: "format version \(major).\(bytes[7]) (1.0, 2.0 and 3.0 are read)")
        }
        guard bytes.count >= headerStart + headerLength else { throw .format(path: path, reason: "truncated header") }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        let (elementType, shape) = try parseHeader(header, path: path)
        let count = shape.reduce(1, *)
        let start = headerStart + headerLength
        let needed = count * elementType.byteCount
        guard bytes.count - start == needed else {
            throw .format(path: path, reason: "shape \(shape) needs \(needed) data bytes, the file has "
                + "\(bytes.count - start)")
        }
        var values = [Double](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            switch elementType {
            case .float32:
                for index in 0..<count {
                    let bits = UInt32(
                        littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * index, as: UInt32.self))
                    values[index] = Double(Float(bitPattern: bits))
                }
            case .float64:
                for index in 0..<count {
                    let bits = UInt64(
                        littleEndian: raw.loadUnaligned(fromByteOffset: start + 8 * index, as: UInt64.self))
                    values[index] = Double(bitPattern: bits)
                }
            }
        }
        return NpyArray(shape: shape, values: values, elementType: elementType)
    }

    /// Parses the header dict: `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`.
    private static func parseHeader(_ header: String, path: String) throws(NpyError)
        -> (NpyArray.ElementType, [Int])
    {
        func value(of key: String) -> Substring? {
            guard let keyRange = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else { return nil }
            let rest = header[keyRange.upperBound...].drop { $0 == " " || $0 == ":" }
            return rest
        }
        guard let descrRest = value(of: "descr"), let quote = descrRest.first, quote == "'" || quote == "\"",
              let close = descrRest.dropFirst().firstIndex(of: quote)
        else { throw .format(path: path, reason: "no 'descr' in the header") }
        let descr = String(descrRest[descrRest.index(after: descrRest.startIndex)..<close])
        guard let elementType = NpyArray.ElementType(rawValue: descr) else {
            throw .format(path: path, reason: "element type '\(descr)' (little-endian float32 '<f4' and float64 "
                + "'<f8' are read)")
        }
        guard let orderRest = value(of: "fortran_order") else {
            throw .format(path: path, reason: "no 'fortran_order' in the header")
        }
        if orderRest.hasPrefix("True") { throw .format(path: path, reason: "Fortran order (C order is read)") }
        guard orderRest.hasPrefix("False") else { throw .format(path: path, reason: "bad 'fortran_order'") }
        guard let shapeRest = value(of: "shape"), shapeRest.first == "(", let end = shapeRest.firstIndex(of: ")")
        else { throw .format(path: path, reason: "no 'shape' in the header") }
        let inner = shapeRest[shapeRest.index(after: shapeRest.startIndex)..<end]
        var shape = [Int]()
        for field in inner.split(separator: ",") {
            let trimmed = field.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let dimension = Int(trimmed.hasSuffix("L") ? String(trimmed.dropLast()) : trimmed), dimension >= 0
            else { throw .format(path: path, reason: "bad shape '(\(inner))'") }
            shape.append(dimension)
        }
        return (elementType, shape)
    }
}
