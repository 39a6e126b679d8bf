import ArgumentParser
import Capture
import Control
import Detection
import DetectionTraining
import Foundation
import PoolDetection
import Sensor
import Traces

/// `coinsentry replay`: a capture file through the sensor's own capture path.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a pcap or pcapng file through the capture path and print per-host counts.",
        discussion: """
            Packets are parsed and attributed exactly as on a live interface: local → remote is sent, remote → local \
            is received, local ↔ local counts for both hosts, remote ↔ remote is ignored. Bytes are IP lengths, so a \
            short snap length does not change them. Intervals close on packet timestamps; a jump larger than \
            --max-gap (a merged capture) joins the series end to end.

            Examples:
              coinsentry replay office.pcap --local-net 10.1.0.0/16 --local-net 2001:db8:1::/48
              coinsentry replay office.pcap --local-net 10.1.0.0/16 --json | jq '.hosts[0]'
              coinsentry replay office.pcap --local-net 10.1.0.0/16 --trace-dir traces/
              coinsentry replay office.pcap --local-net 10.1.0.0/16 --record-labelled labelled/
            coinsentry replay office.pcap --local-net 10.1.0.0/16 --model etc/coinsentry/model.json

            With --model, every host's windows go through the model and the vote exactly as in coinsentryd, and the \
            verdicts (and every change to or from mining, with its time) are printed. The --interval must be the \
            model's. A model with a class block (`coinsentry train --multiclass`) also names each host's traffic \
            class, the majority of its recent window classes (`class` in --json, null while undecided); the verdict \
            does not depend on it.

            Clear-text mining protocol (stratum, the Monero-style login/job/submit dialect, Ethereum getwork over \
            stratum) is recognised in the first bytes of each TCP flow and listed per host as evidence. With \
            --record-labelled DIR, every host seen mining that way has its interval series written to \
            DIR/stratum-CAPTURE-HOST.dat and a line `stratum-CAPTURE-HOST.dat mining` added to \
            DIR/coinsentry-manifest.txt, ready for `coinsentry train` (add normal traces to the manifest as well).

            Pool evidence beyond clear text (docs/pool-evidence.md): names from the pool-domain lists seen in DNS \
            or in a TLS ClientHello's SNI are listed as `pool-name` (with where they were seen); every TCP flow is \
            summarised once it lived --shape-min-age seconds, and flows the pool-connection classifier \
            (--pool-model) scores above 0.5 are listed as `pool-shape` with their score. The shipped list and model \
            (etc/coinsentry/pool-domains.txt, etc/coinsentry/pool-model.json) are used when they exist in the \
            current directory and no file is named.
              coinsentry replay captures/pool/monero-tls-heldout.pcap --local-net 127.0.0.2/32 --json
            """
    )

    @Argument(help: "The capture file (pcap or pcapng).")
    var file: String

    @Option(name: .customLong("local-net"), help: "A local network in CIDR notation; repeat for several.")
    var localNetworks: [String] = []

    @Option(help: "Interval width in seconds.")
    var interval: Double = 1

    @Option(help: "A BPF filter applied before counting, e.g. 'tcp'.")
    var filter: String?

    @Option(name: .customLong("max-gap"), help: "Seconds of silence after which time counts as a discontinuity.")
    var maxGap: Double = 3600

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(name: .customLong("trace-dir"), help: "Write each host's interval series as a trace file here.")
    var traceDirectory: String?

    @Option(help: "A model file: decide every host's verdict as the sensor would.")
    var model: String?

    @Option(name: .customLong("record-labelled"),
            help: "Write the interval series of hosts seen mining (stratum evidence) here as labelled training traces.")
    var recordLabelled: String?

    @OptionGroup var poolEvidence: PoolEvidenceOptions

    @Flag(name: .customLong("single-thread"),
          help: "Read, parse and count in the capture thread alone (by default a reader thread reads and parses the file beside it when a second CPU is free; the results are the same).")
    var singleThread = false

    func validate() throws {
        guard !localNetworks.isEmpty else {
            throw ValidationError("name the local networks with --local-net CIDR (e.g. --local-net 10.0.0.0/8)")
        }
        guard interval > 0, interval.isFinite else { throw ValidationError("--interval must be a positive number") }
        guard maxGap > 0, maxGap.isFinite else { throw ValidationError("--max-gap must be a positive number") }
    }

    func run() throws {
        var configuration = CaptureConfiguration(
            source: .file(file), localNetworks: try localNetworks.map { try IPNetwork($0) })
        configuration.interval = interval
        configuration.filter = filter
        configuration.maxGap = maxGap
        configuration.maxHosts = 1 << 16
        configuration.hostIdleTimeout = maxGap
        configuration.offlineReaderThread = !singleThread
        let shapeModel = try poolEvidence.apply(to: &configuration)
        let pipeline = try model.map { path in
            try SensorPipeline(model: try DetectionModel.load(path, sensorIntervalSeconds: interval),
                               maximumHosts: configuration.maxHosts, poolModel: shapeModel)
        }
        let progress = ProgressLine(label: "replay")
        let result = try OfflineReplay(configuration: configuration,
                                       keepingSeries: traceDirectory != nil || recordLabelled != nil,
                                       pipeline: pipeline, poolModel: shapeModel)
            .run { progress.update("\($0.packets) packets") }
        progress.finish()
        if let traceDirectory { try writeTraces(result.recorder, to: traceDirectory) }
        if let recordLabelled {
            let capture = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            try LabelledRecording.write(result.recorder, interval: interval, capture: capture, to: recordLabelled,
                                        manifestName: Manifest.defaultFileName)
        }
        if json {
            print(try Replay.json(result))
        } else {
            print(Replay.table(result))
        }
        if let warning = result.endError {
            FileHandle.standardError.write(Data("coinsentry: warning: \(warning.message); counts cover the packets before it\n".utf8))
        }
    }

    private func writeTraces(_ recorder: HostSeriesRecorder, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (host, trace) in recorder.traces(interval: interval) {
            try TraceFile.write(trace, to: "\(directory)/\(host).dat")
        }
    }
}

/// Presenting a replay's counts, verdicts and evidence (`OfflineReplay` runs it).
enum Replay {
    typealias Result = OfflineReplay.Result

    /// A host's verdict from all evidence: `state` is the level (`mining`, `suspect`) when a rule holds, else the
    /// vote's state; `level` the level or null; `rule` names the rule (`VerdictFusion.Rule`); `score` and `windows`
    /// are the statistical vote's.
    struct VerdictReport: Encodable {
        var state: String
        var level: String?
        var rule: String
        var score: Double
        var windows: Int

        init(_ fused: FusedVerdict) {
            state = fused.state.rawValue
            level = fused.level?.rawValue
            rule = fused.rule.rawValue
            score = fused.vote.score
            windows = fused.vote.windows
        }
    }

    struct ChangeReport: Encodable {
        var time: Double
        var host: String
        /// `mining`, `suspect`, or the vote's state when no rule holds any longer.
        var verdict: String
        var rule: String
        var score: Double
        var windows: Int
    }

    /// One piece of evidence: `stratum` (dialect, remote, role, worker), `pool-name` (name, source, remote) or
    /// `pool-shape` (remote, score). Every entry of a kind has the same keys (`null` where unknown).
    struct EvidenceReport: Encodable {
        var kind: EvidenceKind
        var remote: String?
        var dialect: String? = nil
        var role: String? = nil
        var worker: String? = nil
        var name: String? = nil
        var source: String? = nil
        var score: Double? = nil

        init(_ evidence: MiningEvidence) {
            kind = .stratum
            dialect = evidence.dialect.rawValue
            remote = evidence.remoteDescription
            role = evidence.role.rawValue
            worker = evidence.worker
        }

        init(_ sighting: PoolNameEvidence) {
            kind = .poolName
            name = sighting.name
            source = sighting.source.rawValue
            remote = sighting.remoteDescription
        }

        init(_ shape: PoolShapeEvidence) {
            kind = .poolShape
            remote = shape.remoteDescription
            score = (shape.score * 1000).rounded() / 1000
        }

        /// A long-lived TLS session to a well-known pool port: evidence only, never a verdict by itself.
        init(tlsPoolPort shape: FlowShape) {
            kind = .tlsPoolPort
            remote = shape.remoteDescription
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(kind, forKey: .kind)
            try container.encode(remote, forKey: .remote)
            switch kind {
            case .stratum:
                try container.encode(dialect, forKey: .dialect)
                try container.encode(role, forKey: .role)
                try container.encode(worker, forKey: .worker)
            case .poolName:
                try container.encode(name, forKey: .name)
                try container.encode(source, forKey: .source)
            case .poolShape, .tlsPoolPort:
                try container.encode(score, forKey: .score)
            }
        }

        enum CodingKeys: String, CodingKey { case kind, remote, dialect, role, worker, name, source, score }
    }

    struct HostReport: Encodable {
        var host: String
        var bytesReceived: UInt64
        var bytesSent: UInt64
        var packetsReceived: UInt64
        var packetsSent: UInt64
        var verdict: VerdictReport?
        var evidence: [EvidenceReport]
        /// With a model that has a class block: the host's class (`null` while undecided); the key is left out
        /// for a binary-only model.
        var trafficClass: HostClassReport?? = nil

        enum CodingKeys: String, CodingKey {
            case host, bytesReceived = "bytes_received", bytesSent = "bytes_sent"
            case packetsReceived = "packets_received", packetsSent = "packets_sent", verdict, evidence
            case trafficClass = "class"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(host, forKey: .host)
            try container.encode(bytesReceived, forKey: .bytesReceived)
            try container.encode(bytesSent, forKey: .bytesSent)
            try container.encode(packetsReceived, forKey: .packetsReceived)
            try container.encode(packetsSent, forKey: .packetsSent)
            try container.encodeIfPresent(verdict, forKey: .verdict)
            try container.encode(evidence, forKey: .evidence)
            if let trafficClass { try container.encode(trafficClass, forKey: .trafficClass) }
        }
    }

    /// A host's traffic class from the class vote: `name`, whether the class is `mining`, its `share` of the
    /// counted windows and how many `windows` were counted.
    struct HostClassReport: Encodable {
        var name: String
        var mining: Bool
        var share: Double
        var windows: Int

        init?(_ hostClass: HostClass?, model: MultiClassModel) {
            guard let hostClass else { return nil }
            name = model.names[hostClass.index]
            mining = model.isMining[hostClass.index]
            share = hostClass.share
            windows = hostClass.windows
        }
    }

    struct Report: Encodable {
        var packets: UInt64
        var ignored: UInt64
        var malformed: UInt64
        var hosts: [HostReport]
        var warnings: [String]
        var statistics: CaptureStatistics
        var verdictChanges: [ChangeReport]?

        enum CodingKeys: String, CodingKey {
            case packets, ignored, malformed, hosts, warnings, statistics, verdictChanges = "verdict_changes"
        }
    }

    static func hosts(_ result: Result) -> [HostReport] {
        result.recorder.totals
            .sorted { ($0.value.bytesReceived + $0.value.bytesSent, $1.key) > ($1.value.bytesReceived + $1.value.bytesSent, $0.key) }
            .map { entry in
                let verdict = result.pipeline.map { pipeline in
                    pipeline.hosts[entry.key].map {
                        VerdictReport($0.fused)
                    } ?? VerdictReport(.undecided)
                }
                let trafficClass = result.pipeline?.model.classifier.map { classifier in
                    HostClassReport(result.pipeline?.hosts[entry.key]?.trafficClass, model: classifier)
                }
                return HostReport(host: entry.key.description, bytesReceived: entry.value.bytesReceived,
                                  bytesSent: entry.value.bytesSent, packetsReceived: entry.value.packetsReceived,
                                  packetsSent: entry.value.packetsSent, verdict: verdict,
                                  evidence: evidence(result, host: entry.key), trafficClass: trafficClass)
            }
    }

    /// A host's evidence: stratum sessions, then pool-shaped flows, then pool names.
    static func evidence(_ result: Result, host: HostAddress) -> [EvidenceReport] {
        (result.recorder.evidence[host] ?? []).map(EvidenceReport.init)
            + (result.poolShapes[host] ?? []).map(EvidenceReport.init)
            + (result.recorder.poolNames[host] ?? []).map(EvidenceReport.init)
            + (result.recorder.flowShapes[host] ?? [:]).values
                .filter { EvidenceIntake.isTLSToPoolPort($0, poolPorts: VerdictFusion.Settings().poolPorts) }
                .sorted { $0.remoteDescription < $1.remoteDescription }
                .map { EvidenceReport(tlsPoolPort: $0) }
    }

    static func changes(_ result: Result) -> [ChangeReport]? {
        guard result.pipeline != nil else { return nil }
        return result.changes.map {
            let verdict = VerdictReport($0.fused)
            return ChangeReport(time: Double($0.interval + 1) * result.interval, host: $0.host.description,
                                verdict: verdict.state, rule: verdict.rule, score: verdict.score,
                                windows: verdict.windows)
        }
    }

    static func json(_ result: Result) throws -> String {
        let report = Report(packets: result.statistics.packets, ignored: result.statistics.ignored,
                            malformed: result.statistics.malformed, hosts: hosts(result),
                            warnings: result.endError.map { [$0.message] } ?? [], statistics: result.statistics,
                            verdictChanges: changes(result))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    static func table(_ result: Result) -> String {
        let statistics = result.statistics
        var lines = ["\(statistics.packets) packets: \(statistics.ignored) ignored (\(statistics.notIP) not IP, "
                     + "\(statistics.notLocal) remote ↔ remote), \(statistics.malformed) malformed, "
                     + "\(statistics.discontinuities) time discontinuities"
                     + (statistics.kernelReceived > 0 ? "; kernel dropped \(statistics.kernelDropped), interface "
                        + "dropped \(statistics.interfaceDropped), ring dropped \(statistics.ringDropped)" : "")]
        let withVerdicts = result.pipeline != nil
        let withClasses = result.pipeline?.model.classifier != nil
        let rows = hosts(result).map { host in
            [host.host, "\(host.bytesReceived)", "\(host.bytesSent)", "\(host.packetsReceived)", "\(host.packetsSent)"]
                + (host.verdict.map { [$0.state, $0.rule, String(format: "%.2f", $0.score), "\($0.windows)"] } ?? [])
                + (withClasses ? [host.trafficClass??.name ?? "undecided"] : [])
        }
        let header = ["HOST", "BYTES RX", "BYTES TX", "PKTS RX", "PKTS TX"]
            + (withVerdicts ? ["VERDICT", "RULE", "VOTE SCORE", "WINDOWS"] : []) + (withClasses ? ["CLASS"] : [])
        lines.append(TextTable.render(header: header, rows: rows))
        for (host, sessions) in result.recorder.evidence.sorted(by: { $0.key < $1.key }) {
            for session in sessions {
                lines.append("\(host): \(session.dialect.rawValue) \(session.role.rawValue) session with "
                             + "\(session.remoteDescription)" + (session.worker.map { ", worker \($0)" } ?? ""))
            }
        }
        for (host, shapes) in result.poolShapes.sorted(by: { $0.key < $1.key }) {
            for shape in shapes {
                lines.append("\(host): pool-shaped flow to \(shape.remoteDescription) (score "
                             + "\(String(format: "%.2f", shape.score)), \(Int(shape.shape.age)) s old)")
            }
        }
        for (host, names) in result.recorder.poolNames.sorted(by: { $0.key < $1.key }) {
            for sighting in names {
                lines.append("\(host): pool name \(sighting.name) in \(sighting.source.rawValue.uppercased())"
                             + (sighting.remoteDescription.map { " (\($0))" } ?? ""))
            }
        }
        for change in changes(result) ?? [] {
            let time = Date(timeIntervalSince1970: change.time).formatted(.iso8601)
            lines.append("\(time) \(change.host) → \(change.verdict) (rule \(change.rule), vote score "
                         + "\(String(format: "%.2f", change.score)) over \(change.windows) windows)")
        }
        return lines.joined(separator: "\n")
    }
}
