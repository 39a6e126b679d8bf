import ArgumentParser
import Control
import Foundation

/// Options every sensor subcommand shares.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "The daemon's control socket.")
    var socket = "/run/coinsentry/control.sock"

    @Flag(help: "Print the daemon's reply as JSON.")
    var json = false

    /// Sends `request`; prints JSON and returns nil in --json mode, else returns the typed reply for a table.
    func send<Request: ControlRequest>(_ request: Request) async throws -> Request.Reply? {
        try await DaemonCall.send(request, socket: socket, json: json,
                                  notRunning: "coinsentryd is not running (nothing listens at \(socket)); start it with "
                                      + "`systemctl start coinsentryd`, or name its socket with --socket")
    }
}

/// One request to a daemon's control socket as every subcommand makes it.
enum DaemonCall {
    /// Sends `request` to `socket`; in `json` mode prints the reply as it came and returns nil, else returns it typed.
    /// Exits 3 when nothing listens (with `notRunning` as the message), 4 when permission is denied, 1 for a refused
    /// request (the daemon's message on standard error) or any other failure.
    static func send<Request: ControlRequest>(_ request: Request, socket: String, json: Bool, notRunning: String)
        async throws -> Request.Reply? {
        do {
            guard json else { return try await ControlClient.send(request, socket: socket) }
            let reply = try await ControlClient.request(try ControlClient.encode(request), socket: socket)
            print(reply.line)
            if reply["ok"]?.bool != true { throw ExitCode(1) }
            return nil
        } catch let error as ControlError {
            let message = error.code == .notRunning ? notRunning : error.message
            FileHandle.standardError.write(Data("coinsentryctl: \(message)\n".utf8))
            throw ExitCode(error.code == .notRunning ? 3 : error.code == .permissionDenied ? 4 : 1)
        }
    }
}

/// Spans of time as operators type them: `90s`, `30m`, `12h`, `7d`, `4w`.
enum Span {
    /// The span's seconds, or nil when `text` is not one (or not above zero).
    static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        guard let unit = text.last.flatMap({ units[$0] }), let count = Double(text.dropLast()), count > 0 else {
            return nil
        }
        return count * unit
    }
}
