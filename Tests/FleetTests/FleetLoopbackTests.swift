import ChainAnalysis
import Detection
import Foundation
import Randomness
import Testing
import TestSupport

@testable import Fleet

/// A real Flower deployment on loopback (`fleet/experiment/cluster.py`: `flower-superlink --insecure` and
/// `flower-supernode`s on 127.0.0.1, runs submitted with `flwr run`), the ClientApp calling this build's
/// `coinsentry fleet train` and `install`.
@Suite(.serialized, .disabled(if: FleetFixtures.flowerUnavailable != nil, "\(FleetFixtures.flowerUnavailable ?? "")"))
struct FleetLoopbackTests {
    /// Runs cluster.py and returns each run's status.
    static func cluster(_ work: String, nodes: Int, nodeConfig: String, runs: [String]) throws -> [[String: Any]] {
        var command = ["\(FleetFixtures.venv)/bin/python", "\(FleetFixtures.root)/fleet/experiment/cluster.py",
                       "--work", work, "--nodes", "\(nodes)", "--node-config-template", nodeConfig, "--timeout", "600"]
        for run in runs { command += ["--run-config", run] }
        let output = try Shell.run(command)
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        return try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [[String: Any]] ?? []
    }

    /// Three participants' windows (non-IID: mining shares 0.2, 0.5, 0.8) and held-back windows.
    static func trafficData(_ directory: String) throws {
        for (p, share) in [0.2, 0.5, 0.8].enumerated() {
            try FleetFixtures.windows(count: 120, miningShare: share, seed: UInt64(10 + p))
                .write(features: "\(directory)/tx\(p).npy", labels: "\(directory)/ty\(p).npy")
            try FleetFixtures.windows(count: 40, miningShare: 0.5, seed: UInt64(20 + p))
                .write(features: "\(directory)/thx\(p).npy", labels: "\(directory)/thy\(p).npy")
        }
    }

    /// A base behaviour model over three classes, and three participants' addresses.
    static func addressData(_ directory: String) throws {
        var generator = SplitMix64(seed: 8)
        let width = AddressFeatures.names.count
        func rows(_ labels: [Int]) -> [[Double]] {
            labels.map { label in
                (0..<width).map { j in
                    (j % 3 == label ? 2.0 : 0.0) + Double.random(in: -0.7...0.7, using: &generator)
                }
            }
        }
        let bootstrap = (0..<60).map { $0 % 3 }
        let base = try BehaviourModel.train(
            examples: zip(rows(bootstrap), bootstrap).map { ($0, ["exchange", "mixer", "wallet"][$1], "bootstrap") },
            featureNames: AddressFeatures.names)
        try ModelJSON.write(base, to: "\(directory)/address-base.json", what: "the address model")
        for p in 0..<3 {
            let labels = (0..<60).map { ($0 + p) % 3 == 0 ? p : $0 % 3 }
            try LabelledExamples(features: rows(labels), labels: labels.map(Double.init))
                .write(features: "\(directory)/ax\(p).npy", labels: "\(directory)/ay\(p).npy")
            let held = (0..<30).map { $0 % 3 }
            try LabelledExamples(features: rows(held), labels: held.map(Double.init))
                .write(features: "\(directory)/ahx\(p).npy", labels: "\(directory)/ahy\(p).npy")
            try FileManager.default.copyItem(atPath: "\(directory)/address-base.json",
                                            toPath: "\(directory)/address-\(p).json")
            try FileManager.default.copyItem(atPath: FleetFixtures.model, toPath: "\(directory)/traffic-\(p).json")
        }
    }

    static func nodeConfig(_ d: String, attackFile: String? = nil, alert: String? = nil) -> String {
        var config = "coinsentry=\"\(FleetFixtures.binary)\" partition-id={p} margin=0.05"
            + " state-file=\"\(d)/state-{p}.jsonl\" sensor=\"site-{p}\" alert=\"\(alert ?? "none")\""
        for (federation, x) in [("traffic", "t"), ("address", "a")] {
            config += " \(federation)-base=\"\(d)/\(federation)-{p}.json\" \(federation)-features=\"\(d)/\(x)x{p}.npy\""
                + " \(federation)-labels=\"\(d)/\(x)y{p}.npy\" \(federation)-holdout-features=\"\(d)/\(x)hx{p}.npy\""
                + " \(federation)-holdout-labels=\"\(d)/\(x)hy{p}.npy\""
        }
        if let attackFile { config += " experiment-attack-file=\"\(attackFile)\"" }
        return config
    }

    @Test func threeSuperNodesCompleteTwoRoundsOfEachFederationAndInstallTheResult() throws {
        let d = try FleetFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: d) }
        try Self.trafficData(d)
        try Self.addressData(d)
        let shipped = try DetectionModel.load(FleetFixtures.model).file
        try NpyFile.write(NpyArray(vector: TrafficModelVector.vector(of: shipped)), to: "\(d)/traffic-init.npy")
        let base = try AddressClassifier.load(path: "\(d)/address-base.json").model.requireLogistic()
        try NpyFile.write(NpyArray(vector: AddressModelVector.vector(of: base)), to: "\(d)/address-init.npy")
        let runs = ["traffic", "address"].map { federation in
            "federation='\(federation)' strategy='Krum' num-server-rounds=2 min-nodes=3 num-malicious=0 "
                + "fraction-evaluate=1.0 initial-arrays='\(d)/\(federation)-init.npy' out-dir='\(d)/out-\(federation)'"
        }
        let results = try Self.cluster("\(d)/cluster", nodes: 3, nodeConfig: Self.nodeConfig(d), runs: runs)
        #expect(results.map { $0["status"] as? String } == ["finished:completed", "finished:completed"])
        for federation in ["traffic", "address"] {
            for round in 0...2 {
                #expect(FileManager.default.fileExists(atPath: "\(d)/out-\(federation)/round-\(round).npy"))
            }
            let coordinator = try String(contentsOfFile: "\(d)/out-\(federation)/state.jsonl", encoding: .utf8)
            #expect(coordinator.components(separatedBy: "\"event\": \"round\"").count - 1 == 2)
        }
        for p in 0..<3 {
            let lines = try String(contentsOfFile: "\(d)/state-\(p).jsonl", encoding: .utf8).split(separator: "\n")
                .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            for federation in ["traffic", "address"] {
                let installs = lines.filter {
                    $0["federation"] as? String == federation && $0["event"] as? String == "installed"
                }
                #expect(installs.compactMap { $0["round"] as? Int }.sorted() == [1, 2],
                        "participant \(p) \(federation)")
            }
            let installed = try DetectionModel.load("\(d)/traffic-\(p).json", sensorIntervalSeconds: 1)
            let final = try NpyFile.read("\(d)/out-traffic/round-2.npy").values
            #expect(TrafficModelVector.vector(of: installed.file) == final)
            let address = try AddressClassifier.load(path: "\(d)/address-\(p).json").model.requireLogistic()
            let finalAddress = try NpyFile.read("\(d)/out-address/round-2.npy").values
            #expect(AddressModelVector.vector(of: address) == finalAddress)
        }
    }

    /// FedAvg's poisoned model is also sent to the participants' acceptance check: each refuses it, and each refusal's
    /// alert reaches the syslog collector the node config names.
    @Test func aPoisoningParticipantIsOutvotedUnderKrumAndWinsUnderFedAvg() throws {
        let d = try FleetFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: d) }
        try Self.trafficData(d)
        try Self.addressData(d)
        let shipped = try DetectionModel.load(FleetFixtures.model).file
        try NpyFile.write(NpyArray(vector: [Double](repeating: 0, count: shipped.svc.weights.count + 1)),
                          to: "\(d)/zero.npy")
        try Data(#"{"2": {"attack": "sign-flip", "scale": 10}}"#.utf8)
            .write(to: URL(fileURLWithPath: "\(d)/attacks.json"))
        let runs = [("FedAvg", 1.0), ("Krum", 0.0)].map { strategy, evaluate in
            "federation='traffic' strategy='\(strategy)' num-server-rounds=1 min-nodes=3 num-malicious=0 "
                + "fraction-evaluate=\(evaluate) initial-arrays='\(d)/zero.npy' out-dir='\(d)/out-\(strategy)'"
        }
        let collector = try DatagramReceiver()
        let results = try Self.cluster("\(d)/cluster", nodes: 3, nodeConfig: Self.nodeConfig(
            d, attackFile: "\(d)/attacks.json", alert: "udp:127.0.0.1:\(collector.port)"), runs: runs)
        #expect(results.map { $0["status"] as? String } == ["finished:completed", "finished:completed"])
        let refusals = try (0..<3).map { p in
            try String(contentsOfFile: "\(d)/state-\(p).jsonl", encoding: .utf8).split(separator: "\n")
                .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .count { $0["event"] as? String == "refused" }
        }
        #expect(refusals == [1, 1, 1], "each participant refuses FedAvg's poisoned model")
        let alerts = (0..<3).compactMap { _ in collector.receive(timeout: .seconds(2)) }
        #expect(Set(alerts.compactMap { $0.firstMatch(of: /sensor="(site-\d)"/).map { String($0.1) } })
                == ["site-0", "site-1", "site-2"], "\(alerts)")
        #expect(alerts.allSatisfy { $0.contains(" fleet-refused ") && $0.contains("round 1: balanced_accuracy") })
        let test = try FleetFixtures.windows(count: 200, miningShare: 0.5, seed: 99)
        func score(_ strategy: String) throws -> Double {
            let vector = try NpyFile.read("\(d)/out-\(strategy)/round-1.npy").values
            let file = try TrafficModelVector.model(vector, base: shipped, solver: "t", round: 1)
            let model = try DetectionModel(file: file)
            return TrafficScore.balancedAccuracy(TrafficScore.counts(model, on: test))
        }
        let fedAvg = try score("FedAvg"), krum = try score("Krum")
        #expect(krum > 0.9, "Krum's global model: balanced accuracy \(krum)")
        #expect(fedAvg < 0.6, "FedAvg's global model: balanced accuracy \(fedAvg)")
    }
}
