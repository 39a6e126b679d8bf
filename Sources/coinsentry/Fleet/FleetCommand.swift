import ArgumentParser
import FleetFiles

/// `coinsentry fleet ...`: the Swift side of fleet learning. A Flower ClientApp (`fleet/` in the repository) hands
/// the global arrays over as `.npy` files and takes the local update back the same way.
struct FleetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Fleet learning: export local data, train on it, evaluate and install global models (.npy).",
        discussion: """
            Two federations: 'traffic' (the sensor's mining model: the linear SVC's weights and bias over the base \
            model's fixed scaler and PCA) and 'address' (the sidecar's behaviour model: weights and biases over the \
            base model's fixed standardisation). A participant's data is a features .npy and a labels .npy:
              coinsentry fleet windows --data ../shared/data/nypto --base model.json --out-dir local
              coinsentry fleet init --base model.json --out global.npy
              coinsentry fleet train --global global.npy --base model.json --features local/features.npy \\
                  --labels local/labels.npy --out update.npy
              coinsentry fleet install --global global.npy --base /etc/coinsentry/model.json \\
                  --out /etc/coinsentry/model.json --holdout-features held/features.npy \\
                  --holdout-labels held/labels.npy --margin 0.02 --state /var/lib/coinsentry/fleet-state.jsonl
            See docs/fleet.md.
            """,
        subcommands: [
            FleetWindowsCommand.self, FleetAddressesCommand.self, FleetInitCommand.self, FleetTrainCommand.self,
            FleetEvaluateCommand.self, FleetInstallCommand.self,
        ])
}

extension FleetFederation: ExpressibleByArgument {}
