import ArgumentParser
import Detection
import DetectionTraining
import Foundation
import Traces

/// `coinsentry synth-sparse -o DIR`: renders sparse periodic ordinary traffic from `SparsePeriodicTraffic`'s model.
struct SynthSparseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth-sparse",
        abstract: "Render sparse periodic ordinary traffic (mail polling, chat and MQTT keepalives) as traces.",
        discussion: "Writes one trace per profile and a coinsentry-manifest.txt labelling them all normal.")

    @Option(name: [.customShort("o"), .customLong("output")], help: "Folder to write the traces into.")
    var output: String

    @Option(help: "Seconds per row.")
    var interval: Double = 0.5

    @Option(help: "Seconds of traffic per trace.")
    var duration: Double = 7200

    @Option(help: "Seed of the first profile; each profile adds its index.")
    var seed: UInt64 = 20_181

    static let profiles: [(String, [SparsePeriodicTraffic.Source])] = [
        ("sparse-mail-60", [.mailPolling(periodSeconds: 60)]),
        ("sparse-mail-300", [.mailPolling(periodSeconds: 300)]),
        ("sparse-chat-30", [.chatKeepalive(periodSeconds: 30, messages: true)]),
        ("sparse-chat-45-idle", [.chatKeepalive(periodSeconds: 45, messages: false)]),
        ("sparse-mqtt-60", [.mqttKeepalive(periodSeconds: 60)]),
        ("sparse-mqtt-15", [.mqttKeepalive(periodSeconds: 15)]),
        ("sparse-mixed", [.mailPolling(periodSeconds: 120), .chatKeepalive(periodSeconds: 30, messages: true),
                          .mqttKeepalive(periodSeconds: 60)]),
        ("sparse-mail-chat", [.mailPolling(periodSeconds: 600), .chatKeepalive(periodSeconds: 20, messages: false)]),
    ]

    func run() throws {
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        var manifest = "# Sparse periodic ordinary traffic rendered by `coinsentry synth-sparse` (seed \(seed)).\n"
        for (index, profile) in Self.profiles.enumerated() {
            let trace = SparsePeriodicTraffic(sources: profile.1)
                .render(duration: duration, interval: interval, seed: seed + UInt64(index))
            try TraceFile.write(trace, to: "\(output)/\(profile.0).dat")
            manifest += "\(profile.0).dat normal\n"
            Progress.line("wrote \(output)/\(profile.0).dat (\(trace.rows.count) rows)")
        }
        try manifest.write(toFile: "\(output)/\(Manifest.defaultFileName)", atomically: true, encoding: .utf8)
    }
}
