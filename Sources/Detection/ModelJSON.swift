import Foundation

/// Reading and writing model files as JSON, with errors that name the file and the field at fault; shared by the
/// mining model (`ModelFile`) and the pool-connection model.
public enum ModelJSON {
    /// Decodes `type` from `data`, read from `path`.
    /// - Throws: `ModelError.corrupt` naming the missing or bad field.
    public static func decode<Model: Decodable>(_ type: Model.Type, from data: Data, path: String)
        throws(ModelError) -> Model {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw .corrupt(path: path, reason: "not JSON")
        } catch let DecodingError.keyNotFound(key, context) {
            throw .corrupt(path: path, reason: "missing '\(fieldPath(context.codingPath + [key]))'")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.dataCorrupted(context) {
            throw .corrupt(path: path, reason: "bad value at '\(fieldPath(context.codingPath))'")
        } catch {
            throw .corrupt(path: path, reason: "\(error)")
        }
    }

    /// Writes `model` as pretty-printed JSON with sorted keys, replacing the file atomically.
    /// - Throws: `ModelError.io`, saying `what` could not be written.
    public static func write<Model: Encodable>(_ model: Model, to path: String, what: String) throws(ModelError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(model).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .io(path: path, reason: "cannot write \(what): \(error.localizedDescription)")
        }
    }

    private static func fieldPath(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(
            in: CharacterSet(charactersIn: "."))
    }
}
