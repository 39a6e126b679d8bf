import ArgumentParser
import Control

/// `coinsentry`: offline work with captures, traces and models.
@main
struct CoinSentryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coinsentry",
        abstract: "Offline tools of the CoinSentry sensor: replay captures, traces, train and evaluate models.",
        discussion: """
            Replay a capture through exactly the sensor's capture path and see per-host counts:
              coinsentry replay traffic.pcap --local-net 192.168.1.0/24
            Render a trace into packets for a live test:
              coinsentry synth mining.dat --interval 0.5 --local 10.0.0.5 --remote 203.0.113.7:3333 -o mining.pcap
            Train the mining classifier on labelled traces and evaluate it on traces it never saw:
              coinsentry train --data ../shared/data/nypto -o model.json
              coinsentry evaluate --model model.json --label normal trace.dat
            Bitcoin behaviour: ingest block files, classify addresses, find recurring payment patterns:
              coinsentry chain --help
            Make labelled Bitcoin data on a private regtest chain:
              coinsentry testbed run etc/coinsentry/scenarios/small.toml --out /tmp/tb --seed 1
            Fleet learning (Flower) on local data, exchanged as .npy:
              coinsentry fleet --help
            """,
        version: CoinSentryVersion.current,
        subcommands: [
            ReplayCommand.self, CaptureCommand.self, SynthCommand.self, MergeCommand.self,
            TrainCommand.self, TrainPoolCommand.self, EvaluateCommand.self, CrossValidateCommand.self,
            SynthSparseCommand.self,
            ChainCommand.self, TestbedCommand.self, FleetCommand.self,
        ]
    )
}
