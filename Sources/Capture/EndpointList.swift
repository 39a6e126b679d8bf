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

    /// Adds an endpoint at the end; the capture session fills a list this way, then sorts it once.
    mutating func append(_ endpoint: RemoteEndpoint) {
        precondition(count < Self.capacity, "an endpoint list holds at most \(Self.capacity)")
        setSlot(count, endpoint)
        count += 1
    }

    /// Insertion sort of at most four slots, in place: building a list never allocates.
    mutating func sortByBytes() {
        for index in indices.dropFirst() {
            var position = index
            while position > 0, self[position - 1].bytes < self[position].bytes {
                let earlier = self[position - 1]
                setSlot(position - 1, self[position])
                setSlot(position, earlier)
                position -= 1
            }
        }
    }

    private mutating func setSlot(_ position: Int, _ endpoint: RemoteEndpoint) {
        switch position {
        case 0: slots.0 = endpoint
        case 1: slots.1 = endpoint
        case 2: slots.2 = endpoint
        default: slots.3 = endpoint
        }
    }
}
