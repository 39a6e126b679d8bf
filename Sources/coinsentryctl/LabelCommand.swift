import ArgumentParser
import Control
import FleetFiles
import Foundation

extension OperatorLabel: ExpressibleByArgument {}

struct Label: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Label a local host mining or normal for fleet learning; list and remove labels.",
        discussion: """
            The daemon keeps labels in its alert store, with who labelled and when, and writes them to \
            labels.jsonl in its state directory (/var/lib/coinsentry/labels.jsonl), which 'coinsentry fleet \
            windows --host-labels' reads: a host's traces (HOST.dat from 'coinsentry replay --trace-dir') become \
            local training data with its label. Labelling a host again replaces its label.
            Examples:
              coinsentryctl label 10.0.0.5 mining --note "xmrig found in /tmp, ticket 4411"
              coinsentryctl label 10.0.0.9 normal --note "render farm, CPU-bound by design"
              coinsentryctl label --list
              coinsentryctl label 10.0.0.5 --remove
            """)
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The local host's IP address.") var host: String?
    @Argument(help: "mining or normal.") var label: OperatorLabel?
    @Option(help: "Why, in one line (kept with the label).") var note: String?
    @Flag(help: "List the labels.") var list = false
    @Flag(help: "Remove the label of HOST.") var remove = false

    func validate() throws {
        if list { return }
        guard host != nil else { throw ValidationError("give a host and \(OperatorLabel.names), or --list") }
        if !remove, label == nil { throw ValidationError("give the label: \(OperatorLabel.names)") }
        if remove, label != nil || note != nil { throw ValidationError("--remove takes the host alone") }
    }

    func run() async throws {
        if list {
            guard let reply = try await connection.send(SensorRequest.Labels()) else { return }
            let rows = reply.labels.map { [$0.host, $0.label, Cell.localTime($0.time), $0.requestedBy, $0.note.cell] }
            print(TextTable.render(header: ["HOST", "LABEL", "SINCE", "BY", "NOTE"], rows: rows))
            print("label file: \(reply.file)")
            return
        }
        guard let host else { return }
        if remove {
            guard let reply = try await connection.send(SensorRequest.Unlabel(host: host)) else { return }
            print("\(reply.target) is no longer labelled")
            return
        }
        guard let label else { return }
        guard let reply = try await connection.send(SensorRequest.Label(host: host, label: label.rawValue, note: note))
        else { return }
        print("\(reply.host) labelled \(reply.label) by \(reply.requestedBy)")
        if let warning = reply.warning { FileHandle.standardError.write(Data("coinsentryctl: \(warning)\n".utf8)) }
    }
}
