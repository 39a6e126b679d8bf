/// A host's busiest remote endpoints, busiest first: at most four, held inline so that passing one interval record
/// from the capture thread to its consumers never allocates.
public struct EndpointList: RandomAccessCollection, Hashable, Sendable {
    /// The most endpoints a list holds (the capture thread's `CS_MAX_ENDPOINTS`).
    public static let capacity = 4

    private var slots: (RemoteEndpoint?, RemoteEndpoint?, RemoteEndpoint?, RemoteEndpoint?) = (nil, nil, nil, nil)
    public private(set) var count = 0

    public init() {}

    /// The first four of `endpoints`, re-sorted busiest first.
    public init(_ endpoints: some Sequence<RemoteEndpoint>) {
        for endpoint in endpoints.prefix(Self.capacity) { append(endpoint) }
        sortByBytes()
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> RemoteEndpoint {
        precondition(position >= 0 && position < count, "endpoint index out of range")
        switch position {
        case 0: return slots.0!
        case 1: return slots.1!
        case 2: return slots.2!
        default: return slots.3!
        }
    }

    public static func == (lhs: EndpointList, rhs: EndpointList) -> Bool { lhs.elementsEqual(rhs) }

    public func hash(into hasher: inout Hasher) {
        for endpoint in self { hasher.combine(endpoint) }
    }

    private mutating func append(_ endpoint: RemoteEndpoint) {
        switch count {
        case 0: slots.0 = endpoint
        case 1: slots.1 = endpoint
        case 2: slots.2 = endpoint
        default: slots.3 = endpoint
        }
        count += 1
    }

    private mutating func sortByBytes() {
        guard count > 1 else { return }
        // Lists arrive only when they changed (rarely), so a small temporary array is no burden here.
        let ordered = [slots.0, slots.1, slots.2, slots.3].compactMap { $0 }.sorted { $0.bytes > $1.bytes }
        count = 0
        slots = (nil, nil, nil, nil)
        for endpoint in ordered { append(endpoint) }
    }
}
