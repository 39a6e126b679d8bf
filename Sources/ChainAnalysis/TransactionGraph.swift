import ChainStore

/// The transaction graph that similarity and pattern detection compute on: one node per address seen in a run of
/// blocks (numbered from 0 in order of first appearance), one arc from each address a transaction spends from to
/// each other address it pays. Coinbases add their payees as nodes without arcs; outputs with no single owner (bare
/// multisig) and inputs whose spent output is not stored add nothing.
public struct TransactionGraph: Sendable {
    /// Node ids' addresses: `addresses[id]`.
    public private(set) var addresses: [String] = []
    /// Arcs as (sender id, receiver id), one per sender, receiver and transaction.
    public private(set) var arcs: [(Int, Int)] = []
    /// Per node, the block times of its first and last transaction in the run.
    public private(set) var timeSpans: [(first: Int, last: Int)] = []
    private var ids: [String: Int] = [:]

    /// Builds the graph of `flows` (transactions in chain order).
    public init(flows: [TransactionFlow]) {
        for flow in flows {
            let senders = Set(flow.inputs.compactMap(\.address)).sorted()
            let receivers = Set(flow.outputs.compactMap(\.address)).sorted()
            if flow.isCoinbase {
                for receiver in receivers { _ = node(receiver, flow.time) }
                continue
            }
            for sender in senders {
                for receiver in receivers where receiver != sender {
                    arcs.append((node(sender, flow.time), node(receiver, flow.time)))
                }
            }
        }
    }

    private mutating func node(_ address: String, _ time: Int) -> Int {
        if let known = ids[address] {
            timeSpans[known] = (min(timeSpans[known].first, time), max(timeSpans[known].last, time))
            return known
        }
        ids[address] = addresses.count
        addresses.append(address)
        timeSpans.append((time, time))
        return addresses.count - 1
    }

    /// The id of `address`, if it is a node.
    public func id(of address: String) -> Int? { ids[address] }
}
