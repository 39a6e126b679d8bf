// The one wrapper of the POSIX calls CoinSentry makes by hand (socket set-up swift-nio does not do, the syslog sink's
// client sockets): a call's -1 becomes swift-system's `Errno`, read at once, before any other call can change it.
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// A POSIX call's result, or the errno it left (swift-system's `valueOrErrno`).
@inlinable public func valueOrErrno<Value: FixedWidthInteger>(_ result: Value) -> Result<Value, Errno> {
    result == -1 ? .failure(Errno(rawValue: errno)) : .success(result)
}

/// A POSIX call, repeated while a signal interrupts it (`EINTR`), then its result or the errno it left.
@inlinable public func valueOrErrno<Value: FixedWidthInteger>(
    retryingOnInterrupt call: () -> Value
) -> Result<Value, Errno> {
    while true {
        let result = valueOrErrno(call())
        if case .failure(.interrupted) = result { continue }
        return result
    }
}

extension Result where Failure == Errno {
    /// The value, or the error `wrap` makes of the errno.
    @inlinable public func get<E: Error>(or wrap: (Errno) -> E) throws(E) -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let error): throw wrap(error)
        }
    }
}
