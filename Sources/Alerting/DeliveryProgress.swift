import Synchronization

/// One sink's delivery progress through the alert store's rows: the records handed to the sink in the store's order,
/// and the highest row id below which every one has settled (written, sent, or dropped and counted).
///
/// Settling can come out of order (a record dropped at a full queue settles at once while earlier ones still wait in
/// the sink's transport); the progress moves only over the contiguous settled prefix, so a record waiting when the
/// daemon stops is never passed over.
final class DeliveryProgress: Sendable {
    private struct Pending {
        var id: Int64
        var settled: Bool
    }

    private let pending = Mutex<[Pending]>([])

    /// Notes a record handed towards the sink, in the order the sink receives them.
    func handed(_ id: Int64) {
        pending.withLock { $0.append(Pending(id: id, settled: false)) }
    }

    /// Marks `id` settled; returns the new progress (the last id of the settled prefix) when it moved.
    func settle(_ id: Int64) -> Int64? {
        pending.withLock { pending in
            guard let index = pending.firstIndex(where: { $0.id == id }) else { return nil }
            pending[index].settled = true
            var reached: Int64?
            while let first = pending.first, first.settled {
                reached = first.id
                pending.removeFirst()
            }
            return reached
        }
    }
}
