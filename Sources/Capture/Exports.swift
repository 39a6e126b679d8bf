/// `HostAddress` is part of this module's API (every record, event and piece of evidence names hosts with it); it
/// lives in `NetworkAddress` so that modules that only need to parse and print addresses (the web console) do not
/// link the capture engine.
@_exported import NetworkAddress
