import DetectionTraining
import Detection
import PoolDetection
import Foundation

/// Which captures train the pool-connection classifier and which are kept to test it, split by capture: a text
/// file of `ROLE PATH` lines (`#` comments), ROLE one of `train-pool`, `train-ordinary`, `test-pool`,
/// `test-ordinary`; paths relative to the directory the command runs in (`../shared/data/...` for the shared
/// ordinary captures).
public struct PoolTrainingSplit: Hashable, Sendable {
    public enum Role: String, CaseIterable, Sendable {
        case trainPool = "train-pool", trainOrdinary = "train-ordinary", testPool = "test-pool"
        case testOrdinary = "test-ordinary"
    }

    public private(set) var captures: [Role: [String]] = [:]

    public init(captures: [Role: [String]] = [:]) {
        self.captures = captures
    }

    /// Reads a split file.
    /// - Throws: `PoolSplitError` naming the file and line of a bad entry, or a file that cannot be read.
    public init(path: String) throws(PoolSplitError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PoolSplitError(message: "cannot read the split file \(path): \(error.localizedDescription)")
        }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard !fields.isEmpty else { continue }
            guard fields.count == 2, let role = Role(rawValue: String(fields[0])) else {
                let roles = Role.allCases.map(\.rawValue).joined(separator: ", ")
                throw PoolSplitError(message: "\(path):\(index + 1): expected \"ROLE PATH\" with ROLE one of \(roles)")
            }
            captures[role, default: []].append(String(fields[1]))
        }
        let overlap = Set(self[.trainPool] + self[.trainOrdinary]).intersection(self[.testPool] + self[.testOrdinary])
        guard overlap.isEmpty else {
            throw PoolSplitError(message: "\(path): captures both trained on and tested on: \(overlap.sorted())")
        }
    }

    public subscript(role: Role) -> [String] { captures[role] ?? [] }
}

/// A split file that could not be used.
public struct PoolSplitError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
